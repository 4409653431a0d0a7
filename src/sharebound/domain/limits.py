"""Every input limit in one place: the services check them, the API schemas derive from them.

Limits that belong to one concept stay beside it and are named here for the schemas:
`terms.MAX_TEXT`, `terms.MAX_ACCESS_DAYS`, `messages.MAX_BODY`, `requests.MAX_DETAILS`.
"""

from __future__ import annotations

MAX_ID = 40  # why: our ids are a short prefix and a random part; anything longer is not one
MAX_TITLE = 300  # why: a line in a list, an email subject, a stamp; longer is a text, not a title
MAX_URL = 2000  # why: longer URLs are refused by many servers anyway
MAX_NAME = 200  # why: a person's, an org's or a partnership's name, a signer's title
MAX_ADDRESS = 500  # why: a postal address on one line, as a cover page prints it
MAX_EMAIL = 254  # why: the longest address SMTP carries (RFC 5321 path limit)
MAX_PASSWORD = 1000  # why: a passphrase, not a document; argon2 would hash any length
MAX_HANDLE = 40  # the longest `values.HANDLE_RE` matches
MAX_TOKEN_NAME = 100  # why: a label to recognize an API token by
MAX_FACTOR_CODE = 20  # why: a 6-digit code or an 11-character recovery code, with spaces
MAX_TOKEN_DAYS = 366  # why: a year (and a leap day); a longer-lived token is a forgotten one
MAX_NOTE = 2000  # why: a note to the recipients, a reason: a paragraph, not a document
MAX_RECIPIENTS = 100  # why: named people; a wider audience is a different agreement
MAX_TOPICS = 20  # why: topics of one item; more says nothing about it
MAX_TOPIC = 64  # the longest `values.TOPIC_RE` matches
MAX_AGREEMENT_DOCUMENT_BYTES = 25 * 1_048_576  # why: a scanned, signed NDA of dozens of pages fits
MAX_NOTE_BYTES = 1_000_000  # why: a note is text typed by a person; documents are files
MAX_INVITES = 20  # why: a partnership is a handful of orgs, not a marketplace
MAX_PARTIES = 20  # why: the same handful, as parties of an agreement
MAX_SCHEDULE_TOPICS = 100  # why: topics allowed or excluded by a schedule
MAX_RETURN_DAYS = 365  # why: a year to return or destroy copies; longer is a typo
DATE_LENGTH = len("2026-12-01")  # a UTC day as the terms write it
DIGEST_LENGTH = 64  # a SHA-256 in hex
MAX_MODIFICATIONS = 20_000  # why: a few pages of changes to the standard terms; more is another NDA
MAX_VKEY = 400  # why: a witness vkey is a name (< 300) and 45 base64 characters
MAX_COSIGNED_NOTE = 8192  # why: a checkpoint (< 400 bytes) and a few dozen signature lines
COSIGNATURE_FUTURE_SECONDS = 300  # why: a witness clock a few minutes fast is normal; hours is not
MAX_LOG_ENTRIES = 1000  # why: one page of a transparency log's leaves (the log contract's bound)
MAX_LOG_SIZE = 2**62  # why: a tree size or leaf index past this is no log's; keeps ints bounded
MAX_RECIPROCITY_DAYS = 3 * 366  # why: three years of weeks is 157 bars, the most a chart still shows
PAGE_DEFAULT = 50  # why: a screenful of a register; the API's default `limit`
PAGE_MAX = 200  # why: one page stays one cheap query (and a small response) whatever the history
# why: a version byte and the sort key, base64url: a time and an id, or at most a person's name
# (200 characters, up to 4 bytes each in UTF-8) and email (254), an org's people's order
MAX_CURSOR = 1500
HOME_LATEST = 10  # why: home shows the latest few of each kind; the lists show the rest
# Folders, bulk upload and ZIP import (docs/library.md)
MAX_FOLDER_NAME = 200  # why: a line in a tree and in a path; longer names are sentences
MAX_FOLDER_DEPTH = 10  # why: 1.2.3.4.5.6.7.8.9.10 is already past what a reader follows
MAX_FOLDERS = 5000  # why: an org's whole library tree; loaded whole to number it
MAX_BULK_FILES = 100  # why: files in one multi-file upload; more is a ZIP import
MAX_ZIP_ENTRIES = 2000  # why: a spec package is hundreds of files; thousands of tiny ones is an attack
MAX_ZIP_UNPACKED_BYTES = 2 * 1024**3  # why: all files of one ZIP, counted as they are read
MAX_ZIP_RATIO = 100  # why: documents compress 2-10x; a ZIP bomb unpacks thousands of times its size
ZIP_RATIO_FLOOR = 10 * 1_048_576  # why: no ratio below 10 MB unpacked: small text compresses well
MAX_ZIP_PATH = 1000  # why: characters of one entry's path; real paths are far shorter
MAX_PACKAGE_ITEMS = 1000  # why: items disclosed in one package; each is a register entry
# View-only page analytics (docs/library.md#what-view-only-records)
MAX_BEAT_SECONDS = 60  # why: a reader's browser reports every 15 s; a minute covers a late report
BEAT_SLACK_SECONDS = 2  # why: a report may trail the page by a network round trip and a timer's drift
MAX_BEAT_PAGES = 50  # why: pages one report names; a screen shows a few, a fast scroll a few dozen
MAX_VIEW_PAGE = 1_000_000  # why: a page number past any real document is not one

# Spreadsheets and slides (docs/library.md): checked on upload, before anything is loaded whole
# why: openpyxl keeps every cell as a Python object (a few hundred bytes each) to stamp a copy;
# a million cells is already hundreds of MB of memory for one download
MAX_SPREADSHEET_CELLS = 1_000_000
MAX_SHEET_ROWS = 200_000  # why: rows of one sheet; a million-row sheet is a database export, not a document
MAX_SLIDES = 1000  # why: a very long deck is a few hundred slides; each is stamped and scanned
MAX_OFFICE_MEDIA_BYTES = 50 * 1_048_576  # why: one picture, video or sound in a deck or workbook
MAX_VIEW_SHEET_ROWS = 500  # why: view only shows a sheet's first rows as an HTML table: a page, not a dump
MAX_VIEW_SHEET_COLUMNS = 50  # why: wider tables no screen shows; column AX is already far off to the right
MAX_VIEW_SLIDE_PICTURES = 100  # why: as many as the pages view only shows of a PDF; each is a stamped image

# Search (docs/library.md#search)
MAX_SEARCH_QUERY = 500  # why: a few words and phrases typed in a box; more is a pasted document
MAX_SEARCH_TERMS = 12  # why: each term is an OR over the orgs' keys in one MATCH; a dozen narrows enough
MAX_SEARCH_WORDS = 20_000  # why: PostgreSQL's tsvector holds at most 1 MB and positions up to 16,383
MAX_SEARCH_OFFSET = 1000  # why: ranked results are read by relevance; past 1,000 a person refines the query

# Watermark templates (docs/watermarks.md)
WATERMARK_MIN_PT = 4.0  # why: below 4 pt a printer smears the copy id; it must stay readable
WATERMARK_MAX_PT = 72.0  # why: an inch high; larger hides the page it marks
WATERMARK_MIN_OPACITY = 0.05  # why: fainter is invisible on paper, so no mark at all
MAX_WATERMARK_CUSTOM = 200  # why: a line of custom text ("Do not forward"), not a paragraph
