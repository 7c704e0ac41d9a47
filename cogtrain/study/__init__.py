"""Studies: arms, randomised allocation, counterbalanced task orders and assessment visits.

``study.yaml`` is validated by :mod:`cogtrain.study.config`; allocation lives in
:mod:`cogtrain.study.allocation`, task orders in :mod:`cogtrain.study.williams`,
what is due when in :mod:`cogtrain.study.schedule`.
"""
