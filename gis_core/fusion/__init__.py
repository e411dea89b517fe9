"""Data fusion across departments (数据融合): one record per real resident, household, enterprise and
building, reconciled from many sources, with every value's provenance.

One job per module:

- :mod:`~gis_core.fusion.idcodes`, :mod:`~gis_core.fusion.phones`, :mod:`~gis_core.fusion.names`,
  :mod:`~gis_core.fusion.addresses` — validation and normalisation of one kind of value;
- :mod:`~gis_core.fusion.standardise` — a source's rows through those rules, with data-quality
  findings (:mod:`~gis_core.fusion.findings`);
- :mod:`~gis_core.fusion.sources` — the registry of sources (department, system, extraction date,
  field mapping, trust per field) and the import of their files into fusion records;
- :mod:`~gis_core.fusion.linkage` — deterministic and Fellegi–Sunter matching, pure arrays;
- :mod:`~gis_core.fusion.entities` — stable entity ids over re-imports, incremental linking;
- :mod:`~gis_core.fusion.survivorship` — golden records with provenance, the review queue;
- :mod:`~gis_core.fusion.matches` — possible matches (pairs just below the link bar) queued for
  review, and the accept / reject decisions every later link obeys;
- :mod:`~gis_core.fusion.review` — the review queue: listing and deciding its items;
- :mod:`~gis_core.fusion.quality` — the data-quality report per source and per grid cell;
- :mod:`~gis_core.fusion.synthetic` — a generated multi-source population with known truth.

ID numbers and phones are never written in clear: fusion records keep them AES-GCM encrypted with
the store's personal-data key and match on the HMAC blind index (gis_core.security).
"""
