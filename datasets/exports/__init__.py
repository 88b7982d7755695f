"""Datasets in standard forms: Darwin Core Archive (``dwca``) with EML 2.2 (``eml``)."""
