package org.refusalscope.headless.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.refusalscope.core.io.AtomicFiles;
import org.refusalscope.core.models.WordLevelTokenizer;

import com.google.gson.JsonObject;

/**
 * The tokenizer of a benchmark checkpoint. Timings use fixed token ids, so the tokenizer only has to load: the
 * real Gemma/Llama-3 tokenizer files are copied into the cache (never into the repository) when the shared data
 * folder has them, otherwise a word-level tokenizer with the shape's vocabulary size is generated.
 */
final class BenchTokenizer {

	private BenchTokenizer() {
	}

	static void install(BenchShape shape, Path folder, Path sharedTokenizers, Consumer<String> log) throws IOException {
		Path shared = sharedTokenizers == null ? null
				: sharedTokenizers.resolve(shape.isGemma() ? "gemma3" : "llama3");
		boolean bigShape = shape.vocab() >= 100_000;
		if(bigShape && shared != null && Files.isRegularFile(shared.resolve("tokenizer.json"))) {
			for(String file : new String[]{"tokenizer.json", "tokenizer_config.json"}) {
				if(Files.isRegularFile(shared.resolve(file))) {
					Files.copy(shared.resolve(file), folder.resolve(file), StandardCopyOption.REPLACE_EXISTING);
				}
			}
			log.accept("  tokenizer copied from " + shared);
			return;
		}
		AtomicFiles.writeString(folder.resolve("tokenizer.json"), wordLevel(shape.vocab()).toString());
		JsonObject config = new JsonObject();
		config.addProperty("bos_token", "<bos>");
		config.addProperty("eos_token", "<eos>");
		config.addProperty("pad_token", "<pad>");
		config.addProperty("chat_template",
				"{{ bos_token }}{% for message in messages %}{{ message['role'] }}: {{ message['content'] }} {% endfor %}"
						+ "{% if add_generation_prompt %}assistant: {% endif %}");
		AtomicFiles.writeString(folder.resolve("tokenizer_config.json"), config.toString());
		log.accept("  generated a word-level tokenizer of " + shape.vocab() + " tokens");
	}

	/** Ids 0..3 are pad, eos, bos, unk (matching the Gemma config's ids 0, 1, 2); the rest are words w4, w5, ... */
	static JsonObject wordLevel(int vocab) {
		List<String> tokens = new ArrayList<>(List.of("<pad>", "<eos>", "<bos>", WordLevelTokenizer.UNKNOWN));
		for(int id = tokens.size(); id < vocab; id++) {
			tokens.add("w" + id);
		}
		return WordLevelTokenizer.json(tokens, 4, "WhitespaceSplit", null, true);
	}
}
