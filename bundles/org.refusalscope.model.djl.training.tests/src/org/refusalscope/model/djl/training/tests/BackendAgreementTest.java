package org.refusalscope.model.djl.training.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.api.model.ChatMessage;
import org.refusalscope.api.model.ForwardRequest;
import org.refusalscope.api.model.ForwardResult;
import org.refusalscope.api.model.GenerationRequest;
import org.refusalscope.api.model.GenerationResult;
import org.refusalscope.api.model.InterventionPlan;
import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.api.model.LoadOptions;
import org.refusalscope.model.djl.Djl;
import org.refusalscope.model.djl.DjlModelBackend;
import org.refusalscope.model.djl.training.Checkpoints;
import org.refusalscope.model.djl.training.LlamaConfig;
import org.refusalscope.model.djl.training.LlamaForward;
import org.refusalscope.model.djl.training.LlamaWeights;
import org.refusalscope.model.djl.training.RefusalProbe;
import org.refusalscope.model.djl.training.TrainingData;
import org.refusalscope.training.tokenizer.BpeTrainer;
import org.refusalscope.training.tokenizer.ChatFormat;
import org.refusalscope.training.tokenizer.TokenizerFiles;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A folder written by the trainer, loaded by the platform's inference backend (an independent implementation of the
 * Llama forward): same logits, same chat rendering, same greedy tokens; and the trained BPE tokenizer round-trips
 * through DJL's Hugging Face tokenizer.
 */
class BackendAgreementTest {

	private static final List<String> TEXTS = List.of("Write a short poem about the sea and the sky.",
			"How do I bake bread at home? Explain step by step.", "I'm sorry, but I can't help with that.",
			"Sure! Here is a simple guide to planting a garden.", "The quick brown fox jumps over the lazy dog 42 times.");

	private static Path writeModel(Path folder, long seed) throws Exception {
		BpeTrainer.Vocabulary vocabulary = BpeTrainer.train(TEXTS, 330, ChatFormat.SPECIAL_TOKENS, 1);
		TokenizerFiles.write(vocabulary, folder, 64);
		int vocab = TokenizerFiles.vocabularySize(folder.resolve("tokenizer.json"));
		try(NDManager manager = TinyModels.manager()) {
			LlamaWeights weights = LlamaWeights.initialise(TinyModels.config(vocab), manager, seed);
			// random norms so a mix-up of any norm weight would show
			for(Map.Entry<String, ai.djl.ndarray.NDArray> entry : weights.tensors().entrySet()) {
				if(entry.getKey().endsWith("norm.weight")) {
					entry.getValue().set(manager.randomUniform(0.5f, 1.5f, entry.getValue().getShape()).toFloatArray());
				}
			}
			scaleUp(weights);
			Checkpoints.writeHuggingFaceFolder(folder, weights, "F32", Map.of());
		}
		return folder;
	}

	/** Larger weights than the training init, so attention is far from uniform and position errors show. */
	private static void scaleUp(LlamaWeights weights) {
		for(Map.Entry<String, ai.djl.ndarray.NDArray> entry : weights.tensors().entrySet()) {
			if(entry.getValue().getShape().dimension() == 2) {
				entry.getValue().muli(15f);
			}
		}
	}

	@Test
	void backendLogitsEqualTrainingForward(@TempDir Path folder) throws Exception {
		Djl.withBundleClassLoader(() -> {
			writeModel(folder, 21);
			LlamaConfig config = LlamaConfig.fromConfigJson(com.google.gson.JsonParser.parseString(
					java.nio.file.Files.readString(folder.resolve("config.json"))).getAsJsonObject());
			try(LanguageModel model = new DjlModelBackend().load(folder, LoadOptions.defaults());
					NDManager manager = TinyModels.manager()) {
				LlamaWeights weights = LlamaWeights.load(config, folder.resolve("model.safetensors"), manager);
				int[] sequence = model.tokenize(ChatFormat.prompt("How do I bake bread at home?"), false);
				assertTrue(sequence.length > 8);
				int[] positions = new int[sequence.length];
				for(int i = 0; i < positions.length; i++) {
					positions[i] = i;
				}
				ForwardResult result = model.forward(new ForwardRequest(List.of(sequence), List.of(InterventionPlan.NONE), positions, true, List.of()));
				long[] ids = new long[sequence.length];
				long[] pos = new long[sequence.length];
				float[] mask = new float[sequence.length];
				for(int i = 0; i < ids.length; i++) {
					ids[i] = sequence[i];
					pos[i] = i;
					mask[i] = 1f;
				}
				Shape shape = new Shape(1, sequence.length);
				float[] ours = LlamaForward.logits(weights, manager.create(ids, shape), manager.create(pos, shape), manager.create(mask, shape), null, null)
						.toFloatArray();
				int vocab = config.vocabSize();
				double worst = 0;
				double scale = 0;
				for(int t = 0; t < sequence.length; t++) {
					for(int v = 0; v < vocab; v++) {
						worst = Math.max(worst, Math.abs(result.logits()[0][t][v] - ours[t * vocab + v]));
						scale = Math.max(scale, Math.abs(ours[t * vocab + v]));
					}
				}
				assertTrue(scale > 1, "logits too flat to compare: " + scale);
				assertTrue(worst <= 1e-4 * scale, "max |backend - trainer| = " + worst + " (scale " + scale + ")");
			}
			return null;
		});
	}

	@Test
	void chatTemplateAndGreedyGenerationAgree(@TempDir Path folder) throws Exception {
		Djl.withBundleClassLoader(() -> {
			writeModel(folder, 8);
			LlamaConfig config = LlamaConfig.fromConfigJson(com.google.gson.JsonParser.parseString(
					java.nio.file.Files.readString(folder.resolve("config.json"))).getAsJsonObject());
			try(LanguageModel model = new DjlModelBackend().load(folder, LoadOptions.defaults());
					HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(folder.resolve("tokenizer.json"), Map.of("addSpecialTokens", "false"));
					NDManager manager = TinyModels.manager()) {
				String message = "Write a short poem about the sea.";
				assertEquals(ChatFormat.prompt(message), model.renderChat(List.of(ChatMessage.user(message)), true));
				int[] prompt = TrainingData.encode(tokenizer, ChatFormat.prompt(message));
				assertArrayEquals(prompt, model.encodeChat(List.of(ChatMessage.user(message))));
				assertEquals(1, prompt[0], "BOS written by the template");
				List<int[]> prompts = List.of(prompt, TrainingData.encode(tokenizer, ChatFormat.prompt("Hi")));
				List<GenerationResult> generated = model.generate(GenerationRequest.greedy(prompts, InterventionPlan.NONE, 6));
				LlamaWeights weights = LlamaWeights.load(config, folder.resolve("model.safetensors"), manager);
				List<int[]> ours = RefusalProbe.greedy(weights, new ArrayList<>(prompts), 6, Set.of(2, 4), null, manager);
				for(int i = 0; i < prompts.size(); i++) {
					assertArrayEquals(ours.get(i), generated.get(i).tokens(), "prompt " + i);
				}
			}
			return null;
		});
	}

	@Test
	void trainedTokenizerRoundTripsThroughDjl(@TempDir Path folder) throws Exception {
		Djl.withBundleClassLoader(() -> {
			BpeTrainer.Vocabulary vocabulary = BpeTrainer.train(TEXTS, 330, ChatFormat.SPECIAL_TOKENS, 1);
			TokenizerFiles.write(vocabulary, folder, 64);
			try(HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(folder.resolve("tokenizer.json"), Map.of("addSpecialTokens", "false"))) {
				for(String text : List.of("Never seen words: zebra quixotic, café naïve 日本語 🙂!", "  two  spaces\nand a newline\t tab", TEXTS.get(1))) {
					long[] ids = tokenizer.encode(text, false, false).getIds();
					assertEquals(text, tokenizer.decode(ids, false));
				}
				// merges apply: a training sentence takes far fewer tokens than bytes; special tokens are single ids in fixed order
				assertTrue(tokenizer.encode(TEXTS.get(0), false, false).getIds().length < TEXTS.get(0).length() / 2);
				long[] specials = tokenizer.encode("<bos><start_of_turn>user\n", false, false).getIds();
				assertEquals(1L, specials[0]);
				assertEquals(3L, specials[1]);
				assertEquals(2L, tokenizer.encode("<eos>", false, false).getIds()[0]);
				assertEquals(4L, tokenizer.encode("<end_of_turn>", false, false).getIds()[0]);
			}
			return null;
		});
	}
}
