package org.refusalscope.core.models;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;

/**
 * Resolves the {@code --model} argument: {@code default} is the folder {@code model/} inside the folder-shaped bundle
 * {@value #DEFAULT_MODEL_BUNDLE} of the running product (so its weights can be memory-mapped); anything else is a
 * path to a Hugging Face model folder.
 */
public final class ModelLocations {

	public static final String DEFAULT = "default";
	public static final String DEFAULT_MODEL_BUNDLE = "org.refusalscope.model.default";
	public static final String DEFAULT_MODEL_FOLDER = "model";

	private ModelLocations() {
	}

	public static Path resolve(String model) throws IOException {
		if(model == null || model.isBlank()) {
			throw new IOException("no model given (use --model default or --model DIR)");
		}
		if(DEFAULT.equals(model)) {
			Bundle self = FrameworkUtil.getBundle(ModelLocations.class);
			return defaultModel(self == null ? null : self.getBundleContext());
		}
		return folder(Path.of(model));
	}

	/** A model folder must hold config.json; the error names the folder. */
	public static Path folder(Path folder) throws IOException {
		if(!Files.isDirectory(folder)) {
			throw new IOException(folder + ": model folder not found");
		}
		if(!Files.isRegularFile(folder.resolve("config.json"))) {
			throw new IOException(folder + ": not a model folder (no config.json)");
		}
		return folder;
	}

	static Path defaultModel(BundleContext context) throws IOException {
		if(context == null) {
			throw new IOException("--model default needs the OSGi runtime (the bundle " + DEFAULT_MODEL_BUNDLE
					+ " provides it); pass a model folder instead");
		}
		for(Bundle bundle : context.getBundles()) {
			if(DEFAULT_MODEL_BUNDLE.equals(bundle.getSymbolicName())) {
				Path root = bundleFolder(bundle);
				if(root == null) {
					throw new IOException("bundle " + DEFAULT_MODEL_BUNDLE + " is not installed as a folder (location "
							+ bundle.getLocation() + "); its model cannot be memory-mapped");
				}
				return folder(root.resolve(DEFAULT_MODEL_FOLDER));
			}
		}
		throw new IOException("the default model is not installed: bundle " + DEFAULT_MODEL_BUNDLE
				+ " is missing from this product; pass --model DIR");
	}

	/**
	 * The folder a dir-shaped bundle was installed from, from its location ({@code reference:file:...}, possibly
	 * relative to the install area), or null when it is not a folder.
	 */
	static Path bundleFolder(Bundle bundle) {
		String location = bundle.getLocation();
		if(location.startsWith("initial@")) {
			location = location.substring("initial@".length());
		}
		if(location.startsWith("reference:")) {
			location = location.substring("reference:".length());
		}
		if(!location.startsWith("file:")) {
			return null;
		}
		String path = location.substring("file:".length());
		Path folder;
		if(path.startsWith("/")) {
			folder = Path.of(URI.create("file:" + path.replace(" ", "%20")));
		} else {
			String installArea = System.getProperty("osgi.install.area");
			Path base = installArea != null && installArea.startsWith("file:")
					? Path.of(URI.create(installArea.replace(" ", "%20")))
					: Path.of("").toAbsolutePath();
			folder = base.resolve(path);
		}
		return Files.isDirectory(folder) ? folder.normalize() : null;
	}
}
