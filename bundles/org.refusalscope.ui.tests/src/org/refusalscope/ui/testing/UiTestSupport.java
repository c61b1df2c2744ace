package org.refusalscope.ui.testing;

import static org.junit.jupiter.api.Assertions.fail;

import org.eclipse.swt.SWT;
import org.eclipse.swt.SWTError;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;

/**
 * The UI tests drive SWT directly on the test thread (tycho-surefire's headless harness runs tests on the main
 * thread, which on GTK may own the display). They need an X display: CI starts Xvfb and exports DISPLAY.
 */
public final class UiTestSupport {

	private UiTestSupport() {
	}

	/** The display, or a test failure that says how to provide one (never a skip). */
	public static Display display() {
		String name = System.getenv("DISPLAY");
		if(name == null || name.isBlank()) {
			fail("no X display: the workbench tests need DISPLAY (run: Xvfb :99 -screen 0 1920x1200x24 & export DISPLAY=:99; "
					+ ".ci/run does this)");
		}
		try {
			return Display.getDefault();
		} catch(SWTError | UnsatisfiedLinkError e) {
			return fail("cannot open X display " + name + " (is Xvfb running, is libgtk-3-0 installed?): " + e, e);
		}
	}

	/** A shell at a fixed place and size: without a window manager, Xvfb keeps what we ask for. */
	public static Shell shell(int width, int height) {
		Shell shell = new Shell(display(), SWT.SHELL_TRIM);
		shell.setBounds(0, 0, width, height);
		return shell;
	}

	/**
	 * Runs the event loop until {@code condition} holds (a timer wakes the loop so that sleeping never hangs); fails
	 * with {@code what} after {@code timeoutMs}.
	 */
	public static void waitUntil(Display display, java.util.function.BooleanSupplier condition, long timeoutMs, String what) {
		long deadline = System.currentTimeMillis() + timeoutMs;
		while(!condition.getAsBoolean()) {
			if(System.currentTimeMillis() > deadline) {
				fail("timed out after " + timeoutMs + " ms waiting for " + what);
			}
			display.timerExec(20, () -> {
			});
			if(!display.readAndDispatch()) {
				display.sleep();
			}
		}
	}

	/** Runs the event loop until nothing is pending, so that layouts and paints happen. */
	public static void flush(Display display) {
		while(display.readAndDispatch()) {
			// keep dispatching
		}
	}
}
