"""cogtrain: adaptive computerized cognitive training for people with multiple sclerosis."""

__version__ = "0.1.0"
