package org.refusalscope.ui.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Shell;
import org.refusalscope.core.io.AtomicFiles;

/** Saves what a shell shows on screen as a PNG, in process (GC.copyArea from the display). */
public final class Screenshot {

	private Screenshot() {
	}

	/**
	 * The part of the screen the shell really covers. Without a window manager (Xvfb) GTK's SWT still subtracts
	 * guessed decoration sizes from the requested bounds, so {@link Shell#getBounds()} is larger than the window;
	 * the client area's position and size on the display are exact.
	 */
	public static Rectangle onScreen(Shell shell) {
		Rectangle bounds = shell.getBounds();
		Rectangle client = shell.getClientArea();
		org.eclipse.swt.graphics.Point origin = shell.getDisplay().map(shell, null, client.x, client.y);
		return new Rectangle(bounds.x, bounds.y, origin.x - bounds.x + client.width, origin.y - bounds.y + client.height);
	}

	/** Resizes the shell so that the window itself, not SWT's idea of it with decorations, is {@code width x height}. */
	public static void resizeOnScreen(Shell shell, int x, int y, int width, int height) {
		shell.setBounds(x, y, width, height);
		Rectangle real = onScreen(shell);
		if(real.width != width || real.height != height) {
			shell.setBounds(x, y, 2 * width - real.width, 2 * height - real.height);
		}
	}

	public static ImageData capture(Shell shell) {
		Rectangle bounds = onScreen(shell);
		Image image = new Image(shell.getDisplay(), bounds.width, bounds.height);
		GC gc = new GC(shell.getDisplay());
		try {
			gc.copyArea(image, bounds.x, bounds.y);
			return image.getImageData();
		} finally {
			gc.dispose();
			image.dispose();
		}
	}

	public static void savePng(ImageData data, Path file) throws IOException {
		ImageLoader loader = new ImageLoader();
		loader.data = new ImageData[]{data};
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		loader.save(bytes, SWT.IMAGE_PNG);
		AtomicFiles.writeBytes(file, bytes.toByteArray());
	}
}
