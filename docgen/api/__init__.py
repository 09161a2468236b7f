"""The library's entry point, one module per capability; the CLI and the web app call these.

* ``check``     — which files are workbooks, what each says (``docgen check``);
* ``init``      — a new workbook, or next year's from this year's (``docgen init``);
* ``build``     — documents of one workbook or a centre's folder (``docgen build``);
* ``pdf``       — PDF copies beside the documents (``--pdf``);
* ``summary``   — the registry and the year's summaries of a batch;
* ``blank``     — blank forms (``docgen blank``);
* ``templates`` — the clerk's own templates and the fields catalogue.

Functions take paths and plain values and return results; they never print.
Failures are DocgenError subclasses (``docgen.errors``). ``docgen.main``
re-exports every public name, for code written against it.
"""
