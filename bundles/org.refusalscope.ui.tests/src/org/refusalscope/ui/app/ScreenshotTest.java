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
			// GTK hands a painted frame to the X server some time after the paint callbacks (later on a loaded
			// machine): capture until the planted corner is on screen (whole colour: white has blue 255 too)
			Path file = dir.resolve("shot.png");
			ImageData[] last = new ImageData[1];
			// GTK may also apply the resize after the client area was read above (once in CI, the corner then sat
			// where the old bottom-right was and never showed): each attempt redoes the resize and the corner's place
			UiTestSupport.waitUntil(display, () -> {
				Rectangle now = shell.getClientArea();
				Rectangle window = Screenshot.onScreen(shell);
				if(window.width != 320 || window.height != 200) {
					Screenshot.resizeOnScreen(shell, 0, 0, 320, 200);
				}
				if(!corner.getBounds().equals(new Rectangle(now.width - 10, now.height - 10, 10, 10))) {
					corner.setBounds(now.width - 10, now.height - 10, 10, 10);
					shell.redraw(0, 0, now.width, now.height, true);
				}
				last[0] = Screenshot.capture(shell);
				return last[0].width == 320 && last[0].height == 200 && new RGB(0, 0, 255).equals(last[0].palette.getRGB(last[0].getPixel(314, 194)));
			}, 20_000, "the window's bottom-right corner to reach the screen");
			Screenshot.savePng(last[0], file);
			ImageData png = new ImageLoader().load(Files.newInputStream(file))[0];
			assertEquals(320, png.width);
			assertEquals(200, png.height);
			var origin = display.map(shell, null, 0, 0);
			assertEquals(new RGB(255, 0, 0), png.palette.getRGB(png.getPixel(origin.x + 130, origin.y + 70)), "planted red block");
			assertEquals(new RGB(255, 255, 255), png.palette.getRGB(png.getPixel(origin.x + 20, origin.y + 20)));
			assertEquals(new RGB(0, 0, 255), png.palette.getRGB(png.getPixel(314, 194)), "bottom-right block of the window");
		} finally {
			shell.dispose();
		}
	}
}
