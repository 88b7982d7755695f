"""Publications, presentations and workshop events (see issue: publications)."""
