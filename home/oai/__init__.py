"""OAI-PMH 2.0 at ``/oai/``: the hub's public metadata for harvesters (``views.oai``)."""
