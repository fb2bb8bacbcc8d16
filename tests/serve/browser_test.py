#!/usr/bin/python3
"""The pages of `banwatch serve` in a real browser (headless Chromium through
chromium-driver and python3-selenium).

A store is crawled from the local sample site tests/data/serve-site (its
titles and texts carry markup) by `banwatch demo --data`, served on a free
loopback port, and the pages are checked as a browser renders them: the
events show, the filter form narrows them, the vendor page's SVG timeline has
one drawn mark per dated event, the planted markup shows as text and makes no
element, and the page fits a phone's width.

    browser_test.py BANWATCH_BINARY SITE_DIR [--screenshots DIR]

Exit 77 (a skip for ctest) when chromium, chromedriver or selenium is absent.
With --screenshots, it also writes the pages as PNG files (docs/serve.md).
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.request

SKIP = 77
WAIT = 90  # seconds: generous, for a loaded machine


def skip(why):
    print(f"SKIP: {why}")
    sys.exit(SKIP)


def main():
    args = sys.argv[1:]
    shots = None
    if "--screenshots" in args:
        i = args.index("--screenshots")
        shots = args[i + 1]
        del args[i : i + 2]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary, site = (os.path.abspath(a) for a in args)
    chromium = shutil.which("chromium")
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not chromium or not os.path.exists(driver_path):
        skip("chromium or chromedriver is not installed (make deps)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec
        from selenium.webdriver.support.ui import Select, WebDriverWait
    except ImportError:
        skip("python3-selenium is not installed (make deps)")

    work = tempfile.mkdtemp(prefix="banwatch-browser-")
    env = {k: v for k, v in os.environ.items() if k not in ("BANWATCH_CONFIG", "BANWATCH_DB")}
    server = None
    driver = None
    try:
        demo = subprocess.run([binary, "demo", "--data", site, "--dir", work], cwd=work, env=env,
                              capture_output=True, text=True, timeout=600)
        assert demo.returncode == 0, demo.stdout + demo.stderr
        db = os.path.join(work, "demo.db")
        server = subprocess.Popen([binary, "--db", db, "serve", "--listen", "127.0.0.1:0"], cwd=work, env=env,
                                  stdout=subprocess.PIPE, text=True)
        line = server.stdout.readline()
        assert "serving http://127.0.0.1:" in line, line
        base = line.split("serving ")[1].split(" ")[0].rstrip("/")

        def api(path):
            with urllib.request.urlopen(base + path, timeout=WAIT) as r:
                return json.load(r)

        events = api("/api/events?limit=1000")
        assert len(events) >= 3, events

        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--hide-scrollbars", f"--user-data-dir={work}/profile",
                     "--window-size=1200,1000"):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
        driver.set_page_load_timeout(WAIT)
        wait = WebDriverWait(driver, WAIT)

        def load(path):
            driver.get(base + path)
            wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "footer.bottom")))

        def no_planted_elements(where):
            for planted in ("planted-title", "planted-text", "planted-img"):
                assert not driver.find_elements(By.ID, planted), f"{where}: element #{planted} was created"
            assert driver.title != "pwned", f"{where}: a planted script ran"

        # The events show, each with its badge; the stylesheet is applied.
        load("/")
        cards = driver.find_elements(By.CSS_SELECTOR, "article.event")
        assert len(cards) == len(events), (len(cards), len(events))
        badge = driver.find_element(By.CSS_SELECTOR, ".badge.status-enacted")
        assert badge.value_of_css_property("background-color") == "rgba(179, 38, 30, 1)", \
            "the stylesheet is not applied: " + badge.value_of_css_property("background-color")
        no_planted_elements("/")
        assert '<b id="planted-title">in Tarrow</b>' in driver.find_element(By.TAG_NAME, "main").text
        if shots:
            driver.save_screenshot(os.path.join(shots, "serve-events.png"))

        # The filters work: the form narrows the list.
        driver.find_element(By.NAME, "vendor").send_keys("TikTok")
        Select(driver.find_element(By.NAME, "status")).select_by_visible_text("enacted")
        driver.find_element(By.CSS_SELECTOR, "form.filters button").click()
        wait.until(lambda d: "vendor=TikTok" in d.current_url and "status=enacted" in d.current_url)
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "footer.bottom")))
        expected = [e for e in events if e["vendor"] == "TikTok" and e["status"] == "enacted"]
        cards = driver.find_elements(By.CSS_SELECTOR, "article.event")
        assert len(cards) == len(expected) >= 1, (len(cards), len(expected))
        for card in cards:
            assert card.find_element(By.CSS_SELECTOR, ".vendor").text == "TikTok"
            assert card.find_element(By.CSS_SELECTOR, ".badge").text == "enacted"

        # The vendor page: one drawn mark per dated event, the status change linked.
        load("/vendors/TikTok")
        dated = [e for e in events if e["vendor"] == "TikTok" and e["event_date"]]
        marks = driver.find_elements(By.CSS_SELECTOR, "svg.timeline circle.mark")
        assert len(marks) == len(dated) >= 2, (len(marks), len(dated))
        for mark in marks:
            assert mark.size["width"] > 0 and mark.size["height"] > 0, "a mark is not drawn"
        assert sorted(int(m.get_attribute("data-event-id")) for m in marks) == sorted(e["id"] for e in dated)
        assert driver.find_elements(By.CSS_SELECTOR, "svg.timeline line.link"), "no proposal-to-enactment line"
        no_planted_elements("/vendors/TikTok")
        if shots:
            driver.save_screenshot(os.path.join(shots, "serve-vendor.png"))

        # One event: its citations and the article text, the evidence marked,
        # the planted markup shown as text.
        proposal = next(e for e in events if e["vendor"] == "TikTok" and e["status"] == "proposed")
        load(f"/events/{proposal['id']}")
        text = driver.find_element(By.TAG_NAME, "main").text
        assert '<b id="planted-text">bold</b><script>document.title="pwned"</script>' in text, text
        marked = driver.find_elements(By.CSS_SELECTOR, "section.article-text mark")
        assert marked and marked[0].text == proposal["mentions"][0]["evidence"], [m.text for m in marked]
        no_planted_elements(f"/events/{proposal['id']}")
        if shots:
            driver.save_screenshot(os.path.join(shots, "serve-event.png"))

        # A phone: nothing wider than the screen but the timeline's own scroller.
        driver.set_window_size(420, 900)
        for path in ("/", "/vendors/TikTok", f"/events/{proposal['id']}", "/sources"):
            load(path)
            overflow = driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, f"{path}: {overflow}px wider than a phone's screen"
        if shots:
            load("/")
            driver.save_screenshot(os.path.join(shots, "serve-phone.png"))
        print("browser checks passed")
        return 0
    finally:
        if driver is not None:
            driver.quit()
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=WAIT)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
