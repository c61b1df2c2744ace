package org.refusalscope.api.sae;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.refusalscope.api.Strategy;

/**
 * Reads one SAE file format. Providers are chosen by inspecting what is on disk ({@link #canLoad(Path)}).
 */
public interface SaeProvider extends Strategy<SaeLoadOptions> {

	/** Every provider is configured by {@link SaeLoadOptions}: the settings type follows from the role. */
	@Override
	default Class<SaeLoadOptions> settingsType() {
		return SaeLoadOptions.class;
	}

	@Override
	default SaeLoadOptions defaultSettings() {
		return SaeLoadOptions.defaults();
	}

	/** True when {@code location} (a file or folder) holds SAEs in this provider's format. */
	boolean canLoad(Path location);

	/**
	 * Opens the SAEs at {@code location} (one, or one per layer); weights are mapped lazily. Errors name the file
	 * and tensor (missing tensor, shape mismatch with {@code options.dModel()}, NaN).
	 */
	List<SparseAutoencoder> load(Path location, SaeLoadOptions options) throws IOException;
}
