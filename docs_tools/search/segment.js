/* tfguides/search (docs_tools/search/worker.py): Chinese queries cut into the words of the index.
 *
 * Material's worker cuts each run of Han characters of a query against the terms of its
 * inverted index, but never tries a piece that ends at the run's last character, so "中心"
 * became "中*" (every page with a word starting with 中) and was highlighted as 中. This
 * cuts the run into the fewest pieces that are terms of the index (jieba's words of the
 * site: the dictionary the index was cut with), a piece that only begins a term costing a
 * little more (the reader may still be typing it), a character that begins no term the
 * most. Each piece then gets Material's "*", as every query term does. */
var tfguidesPrefixes = new WeakMap()
function tfguidesSegment(run, index) {
  var prefixes = tfguidesPrefixes.get(index)
  if (!prefixes) {
    prefixes = new Set()
    for (var term in index)
      if (/^\p{sc=Han}/u.test(term))
        for (var k = 1; k <= term.length; k++)
          prefixes.add(term.slice(0, k))
    tfguidesPrefixes.set(index, prefixes)
  }
  var chars = Array.from(run), n = chars.length
  var cost = [0], from = [0]
  for (var i = 1; i <= n; i++) {
    cost[i] = Infinity
    for (var j = 0; j < i; j++) {
      var piece = chars.slice(j, i).join("")
      var c = Object.prototype.hasOwnProperty.call(index, piece) ? 1
        : prefixes.has(piece) ? 1.5 : i - j === 1 ? 3 : Infinity
      if (cost[j] + c < cost[i]) {
        cost[i] = cost[j] + c
        from[i] = j
      }
    }
  }
  var pieces = []
  for (var e = n; e > 0; e = from[e])
    pieces.unshift(chars.slice(from[e], e).join(""))
  return pieces
}
