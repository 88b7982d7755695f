"""The home page: what the hub holds, as the visitor may see it, across every app.

It sits above every other app (it reads species, publications and datasets), so that no
app below has to know about the page that sums them up.
"""
