import docs_tools.network  # noqa: F401  (before TensorFlow: see its docstring)
from docs_tools import datasets

if not datasets.real_data_requested():  # nox -s realdata downloads the real datasets
    datasets.use_stand_ins()
