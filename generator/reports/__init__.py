"""HTML reports: the pre-deployment review report, the drift report, and the resource graph (inline SVG).

Every value taken from a config, a template or AWS reaches the page through Jinja's autoescape; the pages are
self-contained (inline CSS and SVG, no scripts, no external assets).
"""
