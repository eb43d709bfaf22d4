"""SPARQL: the read-only runner and named queries (:mod:`.query`, ``queries/*.rq``), result
formats (:mod:`.results`) and media types (:mod:`.media`)."""
