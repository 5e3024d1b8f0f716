"""Typography of the translated pages (docs_tools/translation/typography.py).

The first test checks the real pages and language configs. The others show, on small pages
written into a temporary docs/, that each rule catches what it is for, names the file and
line, and lets the correct spelling pass; that code, inline code and URLs are never
checked; and that the mechanical fixes give text the check accepts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from docs_tools.translation import typography

NBSP, NNBSP, MINUS, NB_HYPHEN = "\u00a0", "\u202f", "\u2212", "\u2011"


@pytest.mark.parametrize("lang", typography.checked_languages())
def test_pages_follow_the_typography_rules(lang):
    problems = typography.check([lang])
    assert not problems, "\n".join(problems)


def _check(tmp_path: Path, lang: str, body: str, config: str | None = None) -> list[str]:
    docs = tmp_path / "docs"
    (docs / lang).mkdir(parents=True)
    (docs / lang / "page.md").write_text(f"# Title {{#title}}\n\n{body}\n", encoding="utf-8")
    if config is not None:
        (docs / f"{lang}.yml").write_text(config, encoding="utf-8")
    return typography.check([lang], docs)


# (language, wrong text, rule, the same text written right); the wrong text is on line 3.
CASES = [
    ("ru", 'Он называется "лента".', "straight quotes", "Он называется «лента» („лента“ внутри)."),
    ("ru", "Всего 50 240 параметров.", "grouped number with a breaking space", f"Всего 50{NBSP}240 параметров."),
    ("ru", "Всего 2 000 точек.", "four-digit number split into groups",
     f"Всего 2000 точек, в 2026 году, 50{NBSP}240 параметров, 1{NBSP}000{NBSP}000 шагов."),
    ("ru", f"Всего 2{NBSP}000 точек.", "four-digit number split into groups", "Всего 2000 точек."),
    ("ru", f"Всего 2{NNBSP}000 точек.", "four-digit number split into groups", "Всего 2000 точек."),
    ("ru", "Всего 50240 параметров.", "number of five digits or more not grouped",
     f"Всего 50{NBSP}240 параметров, 1{NBSP}000{NBSP}000 шагов, шаг 0,000125 (x86_64, float32)."),
    ("ru", "Изображение 28 × 28.", "× between numbers without no-break spaces", f"Изображение 28{NBSP}×{NBSP}28."),
    ("ru", "Изображение 28×28.", "× between numbers without no-break spaces", f"Изображение 28{NBSP}×{NBSP}28."),
    ("ru", "Матрица 784\n× 32.", "× between numbers without no-break spaces", f"Матрица 784{NBSP}×{NBSP}32."),
    ("ru", "Точность выше 85%.", "percent sign without a no-break space", f"Точность выше 85{NBSP}%."),
    ("ru", "Точность выше 85 %.", "percent sign without a no-break space", f"Точность выше 85{NBSP}%."),
    ("ru", "Скорость обучения 0.1.", "decimal point", "Скорость обучения 0,1 (Python 3.11, TensorFlow 2.21.0, TensorFlow [[2.15]])."),
    ("ru", "Слой - основной блок.", "spaced hyphen used as a dash", f"Слой{NBSP}— основной блок."),
    ("ru", "Слой — основной блок.", "breaking space before a dash", f"Слой{NBSP}— основной блок."),
    ("ru", "Слой\n— основной блок.", "breaking space before a dash", f"Слой{NBSP}—\nосновной блок."),
    ("ru", "При x от -2 до 2.", "hyphen used as a minus", f"При x от {MINUS}2 до 2 (CIFAR-10, x86-64)."),
    ("ru", "![При x от -2 до 2](figure.png)", "hyphen used as a minus", f"![При x от {MINUS}2 до 2](figure.png)"),
    ("ru", "$$ g = 9.8 $$", "decimal point in a formula", "$$\ng = 9{,}8\n$$"),
    ("ru", r"Ускорение $g = 9{,}8\ \mathrm{m/s^2}$.", "Latin unit in a formula",
     r"Ускорение $g = 9{,}8\ \mathrm{м/с^2}$, потери $\mathrm{loss}$."),
    ("ru", "Добавим еще два слоя.", "ё", "Добавим ещё два слоя."),
    ("ru", "Одномерные свертки.", "ё", "Одномерные свёртки."),
    ("ru", "Каждый тёкст.", "ё", "Каждый текст."),
    ("zh", "数据,模型", "ASCII punctuation in Chinese prose", "数据，模型"),
    ("zh", "形状(shape)很重要", "ASCII punctuation in Chinese prose", "形状（shape）很重要，点 (0, 3) 也是。"),
    ("zh", "如下:", "ASCII punctuation in Chinese prose", "如下：TensorFlow 2.21。"),
    ("zh", "图像 28 × 28", "spaces around × between numbers", "图像 28×28"),
    ("zh", f"图像 28{NBSP}×{NBSP}28", "spaces around × between numbers", "图像 28×28"),
    ("he", "תמונה 28 × 28", "spaces around × between numbers", "תמונה 28×28"),
    ("he", "קוראים ב-`fit`.", "breaking hyphen after a prefix letter", f"קוראים ב{NB_HYPHEN}`fit`."),
    ("he", "הערך של w ו-b.", "breaking hyphen after a prefix letter", f"הערך של w ו{NB_HYPHEN}b."),
]


@pytest.mark.parametrize("lang, wrong, rule, right", CASES, ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(CASES)])
def test_each_rule_catches_its_mistake_and_passes_the_right_form(tmp_path, lang, wrong, rule, right):
    problems = _check(tmp_path / "wrong", lang, wrong)
    assert problems and all(p.startswith(f"docs/{lang}/page.md:3: {rule} ") for p in problems), problems
    assert _check(tmp_path / "right", lang, right) == []


def test_chinese_rules_hold_for_every_chinese_site(tmp_path):
    [problem] = _check(tmp_path, "zh-Hant", "資料,模型")
    assert problem.startswith("docs/zh-Hant/page.md:3: ASCII punctuation in Chinese prose")
    assert "zh" in typography.checked_languages() and "en" not in typography.checked_languages()


def test_the_yo_message_names_the_spelling_to_write(tmp_path):
    [problem] = _check(tmp_path, "ru", "Текст\nи еще один.")
    assert problem.startswith('docs/ru/page.md:4: ё "еще": write ё: «ещё»'), problem


def test_words_whose_both_spellings_exist_are_left_to_a_reader():
    assert typography.yo_spelling("все") is None and typography.yo_spelling("всё") is None
    assert typography.yo_ambiguous("все") and typography.yo_ambiguous("всё")
    assert typography.yo_spelling("Еще") == "Ещё"


def test_code_inline_code_and_urls_are_not_prose(tmp_path):
    body = ('Код `x = "еще" - 0.5` и [ссылка](https://example.com/a-2/еще/0.5), <https://example.com/a-2/0.5>.\n\n'
            '```python\nprint("еще", 50 240, -2, 0.5)\n```\n\n```snippet\ntensors.py:setup\n```')
    assert _check(tmp_path, "ru", body) == []


def test_the_language_config_labels_are_checked(tmp_path):
    config = 'INHERIT: ../mkdocs.yml\nsite_name: "Сайт"\nextra:\n  labels:\n    behind: "отстает"\n' \
             'plugins:\n  search:\n    lang: [ru, en]\n'
    problems = _check(tmp_path, "ru", "Текст.", config)
    assert problems == ['docs/ru.yml:5: ё "отстает": write ё: «отстаёт» (the dictionary knows only that spelling)']


def test_the_mechanical_fixes_satisfy_the_check(tmp_path):
    text = ("# Заголовок {#title}\n\nЕще 50 240 точек и 85%, `еще 50 240` не трогаем,\n"
            "а здесь — тире, и `код` — тоже,\nи в конце строки\n— тире.\n\n```python\nprint('еще')\n```\n")
    fixed = typography.fix_text(text, "ru")
    assert fixed == ("# Заголовок {#title}\n\nЕщё 50\u00a0240 точек и 85\u00a0%, `еще 50 240` не трогаем,\n"
                     "а здесь\u00a0— тире, и `код`\u00a0— тоже,\nи в конце строки\u00a0—\nтире.\n\n"
                     "```python\nprint('еще')\n```\n")
    docs = tmp_path / "docs"
    (docs / "ru").mkdir(parents=True)
    (docs / "ru" / "page.md").write_text(fixed, encoding="utf-8")
    assert typography.check(["ru"], docs) == []


@pytest.mark.parametrize("lang, text, fixed", [
    ("ru", "Из 2 000 точек и 50240 параметров, 28×28 и 3 × 64; `2 000 и 28×28` и 2026 год не трогаем.",
     f"Из 2000 точек и 50{NBSP}240 параметров, 28{NBSP}×{NBSP}28 и 3{NBSP}×{NBSP}64; `2 000 и 28×28` и 2026 год не трогаем."),
    ("zh", "28 × 28 的图像，`28 × 28` 不变。", "28×28 的图像，`28 × 28` 不变。"),
    ("he", f"תמונה 28 × 28 ו-28{NBSP}×{NBSP}28, `28 × 28` נשאר.", "תמונה 28×28 ו-28×28, `28 × 28` נשאר."),
    ("en", "A 28 × 28 image, 2 000 points and 50240 weights.", "A 28 × 28 image, 2 000 points and 50240 weights."),
])
def test_numbers_and_times_signs_are_fixed_mechanically_outside_code(lang, text, fixed):
    assert typography.fix_text(text, lang) == fixed
