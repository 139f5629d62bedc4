"""One badge scanned at many desks at the same moment, against gunicorn with two worker
processes: exactly one welcome, every other scan says "already checked in", every scan kept."""

import json
import threading
import urllib.error
import urllib.request

from checkin_fixtures import *  # noqa: F403
from checkin_fixtures import checked_in_at, scan_rows

THREADS = 20


def _post(url: str, token: str, code: str) -> tuple[int, dict]:
    request = urllib.request.Request(
        url, data=json.dumps({"code": code}).encode(), method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_one_code_scanned_from_many_threads_checks_in_once(app, auth, people, live_server):
    token = auth.token("desk-api@example.org", "staff")
    url = f"{live_server.url}/api/v1/events/test-summit/checkins"
    barrier = threading.Barrier(THREADS)
    answers: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def scan(index: int) -> None:
        # Half the desks send the code as a scanner does: lower case with CR/LF.
        code = people.confirmed if index % 2 else people.confirmed.lower() + "\r\n"
        barrier.wait()
        answer = _post(url, token, code)
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=scan, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [status for status, _body in answers] == [200] * THREADS, answers
    results = sorted(body["result"] for _status, body in answers)
    assert results == ["already_checked_in"] * (THREADS - 1) + ["checked_in"]
    stored = checked_in_at(app, people.confirmed_id).isoformat()
    assert {body["checked_in_at"] for _status, body in answers} == {stored}
    rows = scan_rows(app)
    assert len(rows) == THREADS
    assert sorted(result for _code, result, _id in rows) == results
    assert {(code, registration_id) for code, _result, registration_id in rows} == {
        (people.confirmed, people.confirmed_id)}
