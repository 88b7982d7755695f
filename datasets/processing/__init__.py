"""Processing of uploaded files: real type, thumbnails, text, validation and profiling."""


class ProcessingError(Exception):
    """A file cannot be accepted; the message is shown to the researcher as it is."""
