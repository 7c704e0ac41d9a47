"""Package discovery for the ``tasks/`` folder, installed as ``cogtrain.tasks``.

Every sub-folder of ``tasks/`` with an ``__init__.py`` becomes a package
``cogtrain.tasks.<name>``, so a new task is added by adding one folder.
"""
from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["cogtrain", "cogtrain.*"])
    + ["cogtrain.tasks"]
    + ["cogtrain.tasks." + name for name in find_packages("tasks")]
)
