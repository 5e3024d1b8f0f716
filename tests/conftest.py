import docs_tools.network  # noqa: F401  (before TensorFlow: see its docstring)
