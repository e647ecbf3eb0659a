"""Credit-risk engine: features, models, reasons, evaluation, fairness and drift.

``accord.risk`` owns everything that turns repayment behaviour into a calibrated probability of
default, score points and bilingual reason codes: feature engineering (:mod:`.features`,
:mod:`.behaviour`), two scikit-learn-compatible models (:mod:`.boosting`, :mod:`.scorecard`),
metrics and reports (:mod:`.metrics`, :mod:`.report`), versioned artifacts (:mod:`.artifacts`),
the generic one-table-per-applicant path (:mod:`.tabular`), fairness and drift checks
(:mod:`.fairness`, :mod:`.drift`), behavioural segments (:mod:`.segments`) and early warnings
(:mod:`.early_warning`). It is an engine: pure computations over arrays and data frames, it never
touches the database, the network or the file system except to read/write an artifact directory
it is handed. It must not import ``accord.store``, ``accord.services`` or any interface package.
"""
