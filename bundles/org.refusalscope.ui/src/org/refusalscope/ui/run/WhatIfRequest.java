package org.refusalscope.ui.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.refusalscope.core.runs.DissectionResults.Feature;
import org.refusalscope.core.runs.RunFolder;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * One what-if evaluation: a prompt of an open run, the features the analyst ticked and the ablation mode. It becomes
 * the {@code ./refusalscope eval --ablate ...} command a user would type, with the run's own model and SAEs (from its
 * {@code config.json}), so the panel judges exactly as {@code dissect} and {@code eval} do.
 *
 * @param mode {@code zero}, {@code scale:C} or {@code set:C}
 */
public record WhatIfRequest(Path runDir, String prompt, List<Feature> features, String mode, int maxNewTokens) {

	/** The judged completion that {@code eval --json} printed for the prompt. */
	public record Outcome(boolean refused, double refusalScore, String completion) {
	}

	/** Model and SAE locations recorded in the run's configuration; errors name the file. */
	public static String[] modelAndSae(Path runDir) throws IOException {
		Path config = runDir.resolve(RunFolder.CONFIG);
		if(!Files.isRegularFile(config)) {
			throw new IOException(config + ": missing; the what-if panel needs the run's configuration");
		}
		try {
			JsonObject settings = JsonParser.parseString(Files.readString(config)).getAsJsonObject().getAsJsonObject("settings");
			if(settings == null || !settings.has("model") || !settings.has("sae")) {
				throw new IOException(config + ": no settings.model / settings.sae");
			}
			return new String[]{settings.get("model").getAsString(), settings.get("sae").getAsString()};
		} catch(JsonParseException | IllegalStateException e) {
			throw new IOException(config + ": invalid JSON: " + e.getMessage(), e);
		}
	}

	/** The eval command line; the prompt goes through a one-line prompt file ({@code promptFile}). */
	public List<String> command(Path script, Path promptFile) throws IOException {
		String[] modelAndSae = modelAndSae(runDir);
		List<String> words = new ArrayList<>(List.of(script.toString(), "eval", "--model", modelAndSae[0], "--sae",
				modelAndSae[1], "--prompts", promptFile.toString(), "--max-new-tokens", Integer.toString(maxNewTokens),
				"--json"));
		if(!features.isEmpty()) {
			words.add("--ablate");
			words.add(features.stream().map(f -> f.layer() + ":" + f.feature()).collect(Collectors.joining(",")));
			words.add("--ablate-mode");
			words.add(mode);
		}
		return words;
	}

	/** Writes the prompt as a one-line text file (eval's plain-text format). */
	public Path writePromptFile(Path dir) throws IOException {
		Path file = Files.createTempFile(dir, "what-if-", ".txt");
		Files.writeString(file, prompt.replace('\n', ' ').strip() + "\n");
		return file;
	}

	/** Reads the one item of {@code eval --json}; a clear error when the output is not that. */
	public static Outcome parse(String evalJson) throws IOException {
		try {
			JsonElement root = JsonParser.parseString(evalJson);
			JsonObject item = root.getAsJsonObject().getAsJsonArray("items").get(0).getAsJsonObject();
			return new Outcome(item.get("refused").getAsBoolean(), item.get("refusal_score").getAsDouble(),
					item.get("completion").getAsString());
		} catch(RuntimeException e) {
			throw new IOException("eval did not print the expected JSON (" + e.getMessage() + "): "
					+ (evalJson.length() > 200 ? evalJson.substring(0, 200) + "..." : evalJson), e);
		}
	}
}
