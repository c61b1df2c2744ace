package org.refusalscope.ui.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.ui.testing.UiTestSupport;

/**
 * The in-process screenshot: the window is resized so that it really covers the requested size on screen, and
 * planted coloured blocks (one in the bottom-right corner) must be in the PNG where they are on screen.
 */
class ScreenshotTest {

	@TempDir
	Path dir;

	@Test
	void pngShowsTheWholeWindowAtTheRequestedSize() throws Exception {
		Display display = UiTestSupport.display();
		Shell shell = new Shell(display, SWT.SHELL_TRIM);
		try {
			shell.setBackground(display.getSystemColor(SWT.COLOR_WHITE));
			Composite block = new Composite(shell, SWT.NONE);
			block.setBackground(display.getSystemColor(SWT.COLOR_RED));
			Composite corner = new Composite(shell, SWT.NONE);
			corner.setBackground(display.getSystemColor(SWT.COLOR_BLUE));
			shell.open();
			Screenshot.resizeOnScreen(shell, 0, 0, 320, 200);
			UiTestSupport.flush(display);
			Rectangle client = shell.getClientArea();
			block.setBounds(100, 50, 60, 40);
			corner.setBounds(client.width - 10, client.height - 10, 10, 10);
			boolean[] painted = new boolean[2];
			block.addPaintListener(e -> painted[0] = true);
			corner.addPaintListener(e -> painted[1] = true);
			shell.redraw(0, 0, client.width, client.height, true);
			UiTestSupport.waitUntil(display, () -> painted[0] && painted[1], 10_000, "the planted blocks to paint");
			// GTK hands a painted frame to the X server after the paint callbacks; let that frame go out
			long[] frames = {0};
			UiTestSupport.waitUntil(display, () -> ++frames[0] > 5, 10_000, "a few more event-loop turns");
			Path file = dir.resolve("shot.png");
			Screenshot.savePng(Screenshot.capture(shell), file);
			ImageData png = new ImageLoader().load(Files.newInputStream(file))[0];
			assertEquals(320, png.width);
			assertEquals(200, png.height);
			var origin = display.map(shell, null, 0, 0);
			String where = "bounds " + shell.getBounds() + " client " + client + " origin " + origin + " onScreen " + Screenshot.onScreen(shell)
					+ " size " + shell.getSize();
			StringBuilder row = new StringBuilder();
			for(int y = 0; y < 200; y += 5) {
				row.append(png.palette.getRGB(png.getPixel(130, y)).red > 200 && png.palette.getRGB(png.getPixel(130, y)).green < 50 ? 'R' : '.');
			}
			assertEquals(new RGB(255, 0, 0), png.palette.getRGB(png.getPixel(origin.x + 130, origin.y + 70)), where + " column " + row);
			assertEquals(new RGB(255, 255, 255), png.palette.getRGB(png.getPixel(origin.x + 20, origin.y + 20)));
			assertEquals(new RGB(0, 0, 255), png.palette.getRGB(png.getPixel(319, 199)), "bottom-right pixel of the window");
		} finally {
			shell.dispose();
		}
	}
}
