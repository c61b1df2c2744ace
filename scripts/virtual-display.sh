# Sourced by ./run-tests: the workbench tests (org.refusalscope.ui.tests) open SWT windows and need an X display.
# Without DISPLAY, start Xvfb when it is installed; otherwise those tests fail with a message saying so.
if [[ -z "${DISPLAY:-}" ]] && command -v Xvfb >/dev/null 2>&1; then
	display_number=99
	while [[ -e "/tmp/.X${display_number}-lock" ]]; do display_number=$((display_number + 1)); done
	Xvfb ":${display_number}" -screen 0 1920x1200x24 -nolisten tcp >/dev/null 2>&1 &
	xvfb_pid=$!
	trap 'kill "$xvfb_pid" 2>/dev/null || true' EXIT
	export DISPLAY=":${display_number}"
	for _ in $(seq 50); do [[ -e "/tmp/.X11-unix/X${display_number}" ]] && break; sleep 0.1; done
	echo "run-tests: started Xvfb on $DISPLAY for the workbench tests" >&2
elif [[ -z "${DISPLAY:-}" ]]; then
	echo "run-tests: no DISPLAY and no Xvfb: the workbench tests will fail (apt-get install xvfb xauth libgtk-3-0)" >&2
fi
