package org.refusalscope.headless.commands;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.refusalscope.api.Strategy;
import org.refusalscope.api.StrategyRole;
import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.api.model.LoadOptions;
import org.refusalscope.api.model.ModelBackend;
import org.refusalscope.api.prompts.Prompt;
import org.refusalscope.api.sae.SaeLoadOptions;
import org.refusalscope.api.sae.SaeProvider;
import org.refusalscope.api.sae.SparseAutoencoder;
import org.refusalscope.core.models.ModelLocations;
import org.refusalscope.core.prompts.PromptFiles;
import org.refusalscope.core.registry.StrategyRegistry;
import org.refusalscope.headless.UsageException;

/**
 * Resolves and loads what the model commands need: the model through the backend that can load it, SAEs through
 * the provider whose {@code canLoad} accepts the location, prompt files and the built-in prompt sets.
 */
final class ModelSession {

	/**
	 * Overrides the SAE location of {@code --sae default}; without it the default SAEs are the folder {@code sae/}
	 * beside the default model's {@code model/} folder in the default-model bundle.
	 */
	static final String DEFAULT_SAE_PROPERTY = "refusalscope.default.sae";
	static final String DEFAULT_SAE_FOLDER = "sae";

	private ModelSession() {
	}

	static Path resolveSae(String spec) throws IOException {
		if(spec == null || spec.equals(ModelLocations.DEFAULT) || spec.startsWith(ModelLocations.DEFAULT + ":")) {
			String override = System.getProperty(DEFAULT_SAE_PROPERTY);
			if(override != null && !override.isBlank()) {
				return Path.of(override);
			}
			Path folder = ModelLocations.resolve(ModelLocations.DEFAULT).getParent().resolve(DEFAULT_SAE_FOLDER);
			if(!Files.exists(folder)) {
				throw new IOException(folder + ": the default model bundle ships no SAEs; pass --sae LOCATION");
			}
			return folder;
		}
		Path path = Path.of(spec);
		if(!Files.exists(path)) {
			throw new UsageException(spec + ": no such file or folder (--sae)");
		}
		return path;
	}

	static LanguageModel loadModel(StrategyRegistry registry, String spec) throws IOException {
		Path location = ModelLocations.resolve(spec == null ? ModelLocations.DEFAULT : spec);
		for(Strategy<?> s : registry.strategies(StrategyRole.MODEL_BACKEND)) {
			ModelBackend backend = (ModelBackend) s;
			if(backend.canLoad(location)) {
				return backend.load(location, LoadOptions.defaults());
			}
		}
		throw new IOException(location + ": no model backend can load this folder (registered: "
				+ registry.strategies(StrategyRole.MODEL_BACKEND).stream().map(Strategy::id).toList() + ")");
	}

	/** SAEs by layer; {@code default:L} keeps only layer L. */
	static Map<Integer, SparseAutoencoder> loadSaes(StrategyRegistry registry, String spec, int dModel)
			throws IOException {
		Path location = resolveSae(spec);
		int onlyLayer = spec != null && spec.startsWith("default:") ? parseLayer(spec.substring(8)) : -1;
		for(Strategy<?> s : registry.strategies(StrategyRole.SAE_PROVIDER)) {
			SaeProvider provider = (SaeProvider) s;
			if(provider.canLoad(location)) {
				Map<Integer, SparseAutoencoder> out = new TreeMap<>();
				for(SparseAutoencoder sae : provider.load(location, new SaeLoadOptions(dModel, -1))) {
					if(onlyLayer < 0 || sae.info().layer() == onlyLayer) {
						if(out.put(sae.info().layer(), sae) != null) {
							throw new IOException(location + ": more than one SAE for layer " + sae.info().layer());
						}
					}
				}
				if(out.isEmpty()) {
					throw new IOException(location + ": no SAE" + (onlyLayer >= 0 ? " for layer " + onlyLayer : ""));
				}
				return out;
			}
		}
		throw new IOException(location + ": no SAE provider can read this location (registered: "
				+ registry.strategies(StrategyRole.SAE_PROVIDER).stream().map(Strategy::id).toList() + ")");
	}

	private static int parseLayer(String text) {
		try {
			return Integer.parseInt(text.trim());
		} catch(NumberFormatException e) {
			throw new UsageException("--sae default:L needs a layer number, got 'default:" + text + "'");
		}
	}

	static List<Prompt> readPrompts(StrategyRegistry registry, Path file, String option) throws IOException {
		if(!Files.isRegularFile(file)) {
			throw new UsageException(file + ": no such file (" + option + ")");
		}
		List<Prompt> prompts = PromptFiles.read(file, registry.strategies(StrategyRole.PROMPT_SOURCE));
		if(prompts.isEmpty()) {
			throw new IOException(file + ": no prompts");
		}
		return prompts;
	}

	/** One of the small prompt sets shipped in this bundle ({@code dissect}, {@code harmful}, {@code harmless}). */
	static List<Prompt> builtIn(String name) throws IOException {
		try(InputStream in = ModelSession.class.getResourceAsStream("/prompts/" + name + ".txt")) {
			if(in == null) {
				throw new IOException("built-in prompt set prompts/" + name + ".txt is missing from the headless bundle");
			}
			List<Prompt> out = new ArrayList<>();
			int line = 0;
			for(String text : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
				line++;
				if(!text.isBlank()) {
					out.add(new Prompt(text.strip(), null, "built-in " + name + ":" + line));
				}
			}
			return out;
		}
	}
}
