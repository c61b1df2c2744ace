package org.refusalscope.ui.app;

import java.nio.file.Path;

import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.refusalscope.ui.model.OpenRun;

/**
 * {@code --screenshot FILE}: sizes the window to 1600x1000, selects the first prompt, waits until every chart has
 * painted that prompt (polling the draw log, never a fixed sleep), saves the PNG and closes the workbench.
 */
public class ScreenshotMode {

	public static final int WIDTH = 1600;
	public static final int HEIGHT = 1000;
	static final int POLL_MS = 100;
	static final long TIMEOUT_MS = 60_000;

	private final Shell shell;
	private final OpenRun run;
	private final Path file;
	private final IWorkbench workbench;
	private final boolean waitForCharts;
	private long deadline;
	private int drawnPolls;

	/**
	 * @param waitForCharts false when the shown perspective has no charts (run set-up): then only the layout has to
	 *                      settle
	 */
	public ScreenshotMode(Shell shell, OpenRun run, Path file, IWorkbench workbench, boolean waitForCharts) {
		this.waitForCharts = waitForCharts;
		this.shell = shell;
		this.run = run;
		this.file = file;
		this.workbench = workbench;
	}

	public void start() {
		deadline = System.currentTimeMillis() + TIMEOUT_MS;
		Screenshot.resizeOnScreen(shell, 0, 0, WIDTH, HEIGHT);
		shell.layout(true, true);
		run.select(0);
		shell.getDisplay().timerExec(POLL_MS, this::poll);
	}

	private void poll() {
		Display display = shell.getDisplay();
		// two polls in a row with everything drawn: the paints of the last layout pass are on screen too
		drawnPolls = !waitForCharts || run.drawLog().allDrawn() ? drawnPolls + 1 : 0;
		if(drawnPolls >= 2) {
			save();
			return;
		}
		if(System.currentTimeMillis() > deadline) {
			fail("charts not drawn after " + TIMEOUT_MS / 1000 + " s: " + run.drawLog().pending());
			return;
		}
		display.timerExec(POLL_MS, this::poll);
	}

	private void save() {
		try {
			ImageData image = Screenshot.capture(shell);
			Screenshot.savePng(image, file);
			System.err.println("refusalscope ui: wrote " + file.toAbsolutePath() + " (" + image.width + "x" + image.height + ")");
		} catch(Exception e) {
			fail(file + ": cannot write screenshot: " + e.getMessage());
			return;
		}
		workbench.close();
	}

	private static void fail(String message) {
		System.err.println("refusalscope ui: " + message);
		// E4Application always returns EXIT_OK from a closed workbench; an error must still reach the caller
		System.exit(1);
	}
}
