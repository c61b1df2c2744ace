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

	public static ImageData capture(Shell shell) {
		Rectangle bounds = shell.getBounds();
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
