package org.refusalscope.sae;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

import org.refusalscope.api.model.HookPoint;
import org.refusalscope.api.sae.SaeLoadOptions;
import org.refusalscope.api.sae.SaeProvider;
import org.refusalscope.api.sae.SparseAutoencoder;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * What the folder-based SAE providers (SAELens, Llama Scope) share: an SAE is a folder holding a JSON config and a
 * safetensors file, and a location is such a folder, a file in it, or a folder of such folders ({@link SaeFolders});
 * the config is read as JSON with errors that name the file. What the config and the tensors mean (the format's
 * rules) stays in each provider's bundle, in {@link #open}.
 */
public abstract class FolderSaeProvider implements SaeProvider {

	private final String configName;
	private final String weightsName;

	/**
	 * @param configName
	 *            the config file of an SAE folder
	 * @param weightsName
	 *            its weights file (a relative path, may be in a sub-folder)
	 */
	protected FolderSaeProvider(String configName, String weightsName) {
		this.configName = configName;
		this.weightsName = weightsName;
	}

	/** Opens one SAE folder (it holds both files): checks names, shapes and the small tensors now. */
	protected abstract SparseAutoencoder open(Path folder, SaeLoadOptions options) throws IOException;


	@Override
	public boolean canLoad(Path location) {
		return !saeFolders(location).isEmpty();
	}

	/** The folder itself (or the folder of the config) when it holds the weights, else its sub-folders that do. */
	private List<Path> saeFolders(Path location) {
		return SaeFolders.find(location, configName, weightsName);
	}

	@Override
	public List<SparseAutoencoder> load(Path location, SaeLoadOptions options) throws IOException {
		List<Path> folders = saeFolders(location);
		if(folders.isEmpty()) {
			throw new IOException(location + ": no " + configName + " with " + weightsName + " found");
		}
		List<SparseAutoencoder> saes = new ArrayList<>();
		for(Path folder : folders) {
			saes.add(open(folder, options));
		}
		return saes;
	}

	/** A config file's top-level JSON object; invalid JSON is an error naming the file. */
	public static JsonObject readJson(Path configFile) throws IOException {
		try {
			return JsonParser.parseString(Files.readString(configFile)).getAsJsonObject();
		} catch(JsonParseException | IllegalStateException e) {
			throw new IOException(configFile + ": invalid JSON: " + e.getMessage(), e);
		}
	}

	/** A required integer of a config; its absence is an error naming the file and the key. */
	public static int requireInt(JsonObject config, String key, Path configFile) throws IOException {
		if(!config.has(key) || !config.get(key).isJsonPrimitive()) {
			throw new IOException(configFile + ": missing '" + key + "'");
		}
		return config.get(key).getAsInt();
	}

	/**
	 * The layer the config's hook name gives, else the format's {@code fallback} (-1 for none), else
	 * {@code --sae-layer}; none of them is an error naming the config file and its hook key.
	 */
	protected static int layer(String hookName, IntSupplier fallback, SaeLoadOptions options, Path configFile,
			String hookKey) throws IOException {
		int layer = HookPoint.layerOf(hookName);
		if(layer < 0) {
			layer = fallback.getAsInt();
		}
		if(layer < 0) {
			layer = options.layer();
		}
		if(layer < 0) {
			throw new IOException(configFile + ": " + hookKey + " '" + hookName + "' names no layer; give it with --sae-layer");
		}
		return layer;
	}

	/** The hook point the hook name gives, resid_post when it gives none. */
	protected static HookPoint hookOf(String hookName) {
		HookPoint hook = HookPoint.fromHookName(hookName);
		return hook == null ? HookPoint.RESID_POST : hook;
	}
}
