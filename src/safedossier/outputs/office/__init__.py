"""Word and Excel outputs: the registers as a workbook, fill-in templates, the 工作报告 as a document.

Like the site and the PDF they read the prepared views (`analyse/views.py`) and compute nothing of
their own; every file passes the privacy guard before it is written (`target.py`).
"""
