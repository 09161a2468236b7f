#!/bin/sh
# docgen in the browser, the Linux twin of «Запустить docgen.bat»: the first run makes a
# virtual environment (.venv) in this folder and installs docgen into it (1-3 minutes);
# then (and every next time) it starts "docgen serve", which opens the page. Arguments
# are passed to docgen serve (./docgen-serve.sh --port 8080).
set -e
cd "$(dirname "$0")"
if [ ! -x .venv/bin/docgen ] || ! cmp -s pyproject.toml .venv/docgen-pyproject.toml; then
    echo "Первый запуск: docgen устанавливается в папку .venv (1-3 минуты, нужен интернет)..."
    if ! python3 -m venv .venv; then
        echo "Не удалось создать .venv: установите python3-venv (sudo apt-get install python3-venv)."
        exit 1
    fi
    .venv/bin/python -m pip install --disable-pip-version-check --quiet .
    cp pyproject.toml .venv/docgen-pyproject.toml
fi
exec .venv/bin/docgen serve "$@"
