"""Real documents made on this machine for the document tests: PDFs printed by Chromium
and by reportlab, a scanned PDF (an image, no text layer), and a web server on
127.0.0.1 that serves a page, a PDF and each kind of HTTP failure."""

from __future__ import annotations

import http.server
import io
import shutil
import subprocess
import threading
import time
from pathlib import Path

DOCUMENTS = Path(__file__).parent / "documents"
SAVED_PAGE = DOCUMENTS / "saved-page.html"

# Two pages: a sentence the drafter turns into a fact on each.
REPORT_HTML = """<!doctype html><html><head><meta charset="utf-8"><title>Panel report on trade</title>
<style>body{font-family:serif;font-size:14pt;width:30em} .pb{page-break-after:always}</style></head><body>
<h1>Trade across the border</h1>
<p>In 2019 China exported goods worth 2.6 billion dollars to North Korea, according to the customs
statistics of the General Administration of Customs.</p>
<p class="pb">The figure covered every land crossing along the river, including the bridge between Dandong
and Sinuiju which carries most of the freight.</p>
<h2>Labour</h2>
<p>Russia signed an agreement on labour cooperation with North Korea in 2015.</p>
</body></html>
"""

# Words that only Chromium's running header and footer hold (the date, the file address, "1/2").
CHROMIUM_CHROME = ("file://", "1/2", "2/2", "AM", "PM")


def chromium_pdf(html: str, folder: Path, name: str = "report") -> Path:
    """Print html to a PDF with headless Chromium (its default header and footer on)."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    assert exe, "chromium is needed to make the test PDFs (make system-deps)"
    page, pdf = folder / f"{name}.html", folder / f"{name}.pdf"
    page.write_text(html, encoding="utf-8")
    subprocess.run(
        [exe, "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={pdf}", page.as_uri()],
        capture_output=True,
        timeout=180,
        check=True,
    )
    assert pdf.stat().st_size > 1000
    return pdf


def reportlab_pdf(path: Path) -> Path:
    """Three pages with a running header, 'Page N of 3' footers, a word hyphenated at a line
    end, and a paragraph cut by a page break."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle("Sanctions implementation review")
    width, height = A4
    pages = [
        ["Sanctions implementation review", "",
         "The Panel found that coal was loaded in Nampo and trans-",
         "shipped at sea to vessels flying other flags.",
         "",
         "Several states reported that they had seized cargoes of",
         "iron ore in their ports during the year, and that"],
        ["the cargoes were returned to the shippers after inspection.",
         "",
         "The Panel recommends that states share the names of",
         "vessels with the Committee."],
        ["Annex", "", "The list of vessels is kept by the Secretariat."],
    ]  # fmt: skip
    for n, lines in enumerate(pages, 1):
        c.setFont("Helvetica", 9)
        c.drawString(72, height - 40, "UN Panel of Experts - S/2024/215 - restricted until release")
        c.drawString(width / 2 - 30, 30, f"Page {n} of {len(pages)}")
        c.setFont("Helvetica", 12)
        y = height - 120
        for line in lines:
            c.drawString(72, y, line)
            y -= 16
        c.showPage()
    c.save()
    return path


def scanned_pdf(path: Path) -> Path:
    """A page that is only a picture of text, as a scanner makes it: no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    for i in range(20):
        draw.text((100, 100 + 40 * i), "North Korea exported coal to China in 2016.", fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawImage(ImageReader(buffer), 0, 0, *A4)
    c.showPage()
    c.save()
    return path


class Server:
    """An HTTP server on 127.0.0.1 (a free port) in a thread; routes map a path to
    (status, headers, body) or to a callable that answers itself."""

    def __init__(self, routes: dict):
        routes_ = routes

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the stdlib's name)
                route = routes_.get(self.path)
                if route is None:
                    self.send_error(404, "Not Found")
                    return
                if callable(route):
                    route(self)
                    return
                status, headers, body = route
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def slow(seconds: float):
    def answer(handler):
        time.sleep(seconds)
        handler.send_response(200)
        handler.end_headers()

    return answer


def endless(handler):
    """A body that claims no length and goes on: only the size cap stops it."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    try:
        for _ in range(4096):
            handler.wfile.write(b"<p>" + b"x" * 4096 + b"</p>")
    except OSError:
        pass
