"""nginx's own refusals, through the real nginx of the test stack (nginx/frames-fastcgi.conf): a request it
cannot parse, a method it never passes on, a body, a request line or headers past its buffers, a static
file that is not there. Each is application/problem+json like the service's errors, so that a client
parses one error shape; the service's own errors still pass through as they are."""
import http.client
import json
import socket
import ssl

import pytest


def problem_of(response, body):
    assert response.getheader("Content-Type") == "application/problem+json", body[:200]
    assert response.getheader("Cache-Control") == "no-store"
    problem = json.loads(body)
    assert problem["status"] == response.status
    assert problem["type"] == "about:blank" and problem["title"] and problem["detail"]
    return problem


def request(web, method, target, headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", web.nginx.plain_port, timeout=30)
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def test_a_100_kb_query_string_is_a_414_problem(web):
    response, body = request(web, "GET", "/frames?depth_min=0&depth_max=1&dataset=" + "a" * 100_000)
    assert response.status == 414
    assert problem_of(response, body)["title"] == "URI Too Long"


def test_headers_past_the_buffers_are_a_431_problem(web):
    response, body = request(web, "GET", "/health", headers={"X-Padding": "a" * 20_000})
    assert response.status == 431
    assert problem_of(response, body)["title"] == "Request Header Fields Too Large"


def test_a_request_body_is_a_413_problem(web):
    response, body = request(web, "POST", "/frames", body=b"\0" * 2_000_000,
                             headers={"Content-Type": "application/octet-stream"})
    assert response.status == 413
    assert problem_of(response, body)["title"] == "Content Too Large"


def test_trace_is_a_405_problem_with_allow(web):
    response, body = request(web, "TRACE", "/frames")
    assert response.status == 405
    assert problem_of(response, body)["title"] == "Method Not Allowed"
    assert response.getheader("Allow") == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("raw", [b"NOT A REQUEST\r\n\r\n", b"GET /health HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n"])
def test_a_request_nginx_cannot_parse_is_a_400_problem(web, raw):
    with socket.create_connection(("127.0.0.1", web.nginx.plain_port), timeout=30) as sock:
        sock.sendall(raw)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 "), head
    assert b"\r\nContent-Type: application/problem+json\r\n" in head
    assert json.loads(body) == {"type": "about:blank", "title": "Bad Request", "status": 400,
                                "detail": "the request is malformed"}


def test_a_missing_static_file_is_a_404_problem(web):
    response, body = request(web, "GET", "/view/no-such-file.js")
    assert response.status == 404
    assert problem_of(response, body)["title"] == "Not Found"


def test_the_services_own_errors_pass_as_they_are(web):
    response, body = request(web, "POST", "/frames")
    assert response.status == 405
    assert "method POST is not allowed" in problem_of(response, body)["detail"]
    response, body = request(web, "GET", "/frames?depthmin=1")
    assert response.status == 400
    assert "'depthmin'" in problem_of(response, body)["detail"]


def test_over_https_a_refusal_also_carries_hsts(web):
    context = ssl.create_default_context(cafile=str(web.nginx.cacert))
    connection = http.client.HTTPSConnection("localhost", web.nginx.https_port, context=context, timeout=30)
    try:
        connection.request("TRACE", "/frames")
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    assert response.status == 405
    problem_of(response, body)
    assert response.getheader("Strict-Transport-Security") == "max-age=63072000"
