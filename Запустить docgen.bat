@echo off
rem docgen in the browser: double-click this file. The first run makes a virtual
rem environment (.venv) in this folder and installs docgen into it (1-3 minutes);
rem then (and every next time) it starts "docgen serve", which opens the page.
rem Arguments are passed to docgen serve. Messages below are UTF-8 (chcp 65001).
chcp 65001 > nul
cd /d "%~dp0"
if exist ".venv\Scripts\docgen.exe" fc /b pyproject.toml ".venv\docgen-pyproject.toml" > nul 2>&1 && goto serve
echo Первый запуск: docgen устанавливается в папку .venv (1-3 минуты, нужен интернет)...
py -m venv .venv 2> nul || python -m venv .venv
if errorlevel 1 goto nopython
".venv\Scripts\python.exe" -m pip install --disable-pip-version-check --quiet .
if errorlevel 1 goto failed
copy /y pyproject.toml ".venv\docgen-pyproject.toml" > nul
:serve
".venv\Scripts\docgen.exe" serve %*
if errorlevel 1 pause
exit /b
:nopython
echo Python не найден. Установите его с https://www.python.org/downloads/
echo (на первом экране установщика поставьте галочку "Add python.exe to PATH")
echo и снова дважды щёлкните этот файл.
pause
exit /b 1
:failed
echo docgen не установлен: pip сообщил об ошибке выше. Проверьте интернет и
echo снова дважды щёлкните этот файл.
pause
exit /b 1
