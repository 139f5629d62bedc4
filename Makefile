# Summit: `make run` serves the demo, `make test` runs the linter and the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
# Mails and calendar files link to SUMMIT_BASE_URL; unless it is set, that is the address
# served here, so `make run PORT=5077` sends links to port 5077.
SUMMIT_BASE_URL ?= http://$(HOST):$(PORT)
APP_ENV = SUMMIT_BASE_URL='$(SUMMIT_BASE_URL)'
FLASK = $(APP_ENV) $(BIN)/flask --app summit

.PHONY: run test install messages lint serve clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The German catalogues (.mo) are compiled by the app itself when it starts (summit/catalogues.py).
run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	@echo
	@echo "  Summit is starting on http://$(HOST):$(PORT)/events/vision-summit-2014"
	@echo "  Log in at http://$(HOST):$(PORT)/login"
	@echo "    organiser  organiser@vision-summit.example / demo-organiser"
	@echo "    moderator  laura.haverkamp@vision-summit.example / demo-moderator"
	@echo "    desk       desk@vision-summit.example / demo-desk"
	@echo "    jury       jury@vision-summit.example / demo-jury"
	@echo
	@# Mail goes out in the background while the server runs; stopped with it.
	$(FLASK) send-mail --loop & mailer=$$!; trap 'kill $$mailer 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

# After changing user-visible strings: extract them and merge into the German catalogue.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		--project Summit --no-wrap -o summit/translations/messages.pot .
	$(BIN)/pybabel update -i summit/translations/messages.pot -d summit/translations \
		--ignore-obsolete --no-fuzzy-matching --no-wrap

# Production-style: gunicorn with gunicorn.conf.py (workers from the CPU count, access log),
# on HOST:PORT like `make run`.
# gunicorn.conf.py: gevent workers, which hold the live screens' streams. With more than one
# worker, set SUMMIT_REDIS_URL so that a moderator's press reaches every worker's screens
# (without it the screens poll once a second). `make run` (flask run, one process) pushes
# without Redis.
serve: install
	$(FLASK) db upgrade
	$(APP_ENV) SUMMIT_BIND='$(HOST):$(PORT)' $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

lint: install
	$(BIN)/ruff check summit tests bench

test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
