package org.refusalscope.ui.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.ui.testing.UiTestSupport;

/** The in-process screenshot: a planted coloured block must be in the PNG where it is on screen. */
class ScreenshotTest {

	@TempDir
	Path dir;

	@Test
	void pngShowsWhatIsOnScreen() throws Exception {
		Display display = UiTestSupport.display();
		Shell shell = UiTestSupport.shell(320, 200);
		try {
			shell.setBackground(display.getSystemColor(SWT.COLOR_WHITE));
			Composite block = new Composite(shell, SWT.NONE);
			block.setBackground(display.getSystemColor(SWT.COLOR_RED));
			block.setBounds(100, 50, 60, 40);
			shell.open();
			UiTestSupport.flush(display);
			shell.update();
			Path file = dir.resolve("shot.png");
			Screenshot.savePng(Screenshot.capture(shell), file);
			ImageData png = new ImageLoader().load(Files.newInputStream(file))[0];
			assertEquals(shell.getBounds().width, png.width);
			assertEquals(shell.getBounds().height, png.height);
			var client = display.map(shell, null, shell.getClientArea());
			int x0 = client.x - shell.getBounds().x;
			int y0 = client.y - shell.getBounds().y;
			assertEquals(new RGB(255, 0, 0), png.palette.getRGB(png.getPixel(x0 + 130, y0 + 70)));
			assertEquals(new RGB(255, 255, 255), png.palette.getRGB(png.getPixel(x0 + 20, y0 + 20)));
		} finally {
			shell.dispose();
		}
	}
}
