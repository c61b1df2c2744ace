package org.refusalscope.api.model;

import java.io.IOException;
import java.nio.file.Path;

import org.refusalscope.api.Strategy;

/**
 * Loads language models from a location (a local Hugging Face folder) and runs them.
 */
public interface ModelBackend extends Strategy<LoadOptions> {

	/** Every backend is configured by {@link LoadOptions}: the settings type follows from the role. */
	@Override
	default Class<LoadOptions> settingsType() {
		return LoadOptions.class;
	}

	@Override
	default LoadOptions defaultSettings() {
		return LoadOptions.defaults();
	}

	/** True when this backend understands the model stored at {@code location} (e.g. a supported model_type). */
	boolean canLoad(Path location);

	/**
	 * Loads the model. Errors name the file and the problem (unknown {@code model_type}, missing tensor, ...).
	 */
	LanguageModel load(Path location, LoadOptions options) throws IOException;
}
