"""The one lock around PDFium.

PDFium is not thread-safe: no two pdfium calls may run at the same time in one process, not
even on different documents, or the process crashes or corrupts memory (pypdfium2's docs,
"Incompatibility with Threading"). The server reads PDFs for the content gate and renders
view-only pages in its worker threads, so every use of pypdfium2 runs inside `PDFIUM` and
closes each handle (document, page, text page, bitmap) before letting go: a handle left to
the garbage collector would be freed later, from whichever thread, outside the lock.
"""

from __future__ import annotations

import threading

PDFIUM = threading.RLock()
