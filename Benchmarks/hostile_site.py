#!/usr/bin/env python3
"""The hostile site of issue 13, served on 127.0.0.1: a 50 MB robots.txt (its rules in the `*`
group), a sitemap index that lists itself, and a streamed 1,000,000-URL sitemap (about 57 MB,
past the sitemaps.org 50 MB cap), over pages that each link to the next ten.

    python3 Benchmarks/hostile_site.py PORT
"""
import sys
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

ROBOTS_HEAD = b"User-agent: *\nDisallow: /private/\nSitemap: /sitemap-index.xml\n"
ROBOTS_LINE = b"Disallow: /archive/2019/12/31/page-000000.html\n" * 1024
ROBOTS_SIZE = 50 * 1024 * 1024
SITEMAP_URLS = 1_000_000


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, ctype, body):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def stream(self, ctype, chunks):
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for c in chunks:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(c), c))
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def do_GET(self):
        host = self.headers.get("Host", "127.0.0.1")
        path = self.path
        if path == "/robots.txt":
            def robots():
                yield ROBOTS_HEAD
                sent = len(ROBOTS_HEAD)
                while sent < ROBOTS_SIZE:
                    yield ROBOTS_LINE
                    sent += len(ROBOTS_LINE)
            self.stream("text/plain", robots())
        elif path == "/sitemap-index.xml":
            body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                    '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                    f'<sitemap><loc>http://{host}/sitemap-index.xml</loc></sitemap>'
                    f'<sitemap><loc>http://{host}/sitemap-1.xml</loc></sitemap>'
                    f'<sitemap><loc>http://{host}/sitemap-index.xml</loc></sitemap>'
                    '</sitemapindex>').encode()
            self.send(200, "application/xml", body)
        elif path == "/sitemap-1.xml":
            def sitemap():
                yield b'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                for start in range(0, SITEMAP_URLS, 1000):
                    yield "".join(f"<url><loc>http://{host}/p/{i}.html</loc></url>\n"
                                  for i in range(start, start + 1000)).encode()
                yield b"</urlset>\n"
            self.stream("application/xml", sitemap())
        elif path == "/" or path.startswith("/p/"):
            n = 0 if path == "/" else int(path[3:].split(".")[0] or 0)
            links = "".join(f'<li><a href="/p/{n * 10 + k}.html">第{n * 10 + k}页</a></li>' for k in range(1, 11))
            body = (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>第{n}页</title></head>'
                    f'<body><h1>第{n}页</h1><ul>{links}</ul></body></html>').encode()
            self.send(200, "text/html; charset=utf-8", body)
        else:
            self.send(404, "text/plain", b"not found")


if __name__ == "__main__":
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
