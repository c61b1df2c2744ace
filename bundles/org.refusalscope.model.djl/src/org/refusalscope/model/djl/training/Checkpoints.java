package org.refusalscope.model.djl.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.refusalscope.core.io.AtomicFiles;
import org.refusalscope.io.safetensors.SafetensorsFile;
import org.refusalscope.io.safetensors.SafetensorsWriter;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

import ai.djl.ndarray.NDArray;

/**
 * Training state on disk: weights, AdamW moments and counters in one safetensors file (F32, exact), written
 * atomically so an interrupted run resumes from the last complete checkpoint; plus the HF folder writer.
 */
public final class Checkpoints {

	public record State(long step, double bestScore, long bestStep, int badEvals) {

		/** A run that has not started. */
		public static State initial() {
			return new State(0, Double.NEGATIVE_INFINITY, -1, 0);
		}

		/** The same counters at another step (a checkpoint without an evaluation). */
		public State at(long newStep) {
			return new State(newStep, bestScore, bestStep, badEvals);
		}
	}

	private Checkpoints() {
	}

	public static void save(Path file, LlamaWeights weights, AdamW optimizer, State state) throws IOException {
		SafetensorsWriter writer = new SafetensorsWriter();
		weights.addTo(writer, "F32", "weights.", false);
		addAll(writer, "adam_m.", optimizer.firstMoments());
		addAll(writer, "adam_v.", optimizer.secondMoments());
		writer.metadata("step", Long.toString(state.step())).metadata("best_score", Double.toString(state.bestScore()))
				.metadata("best_step", Long.toString(state.bestStep())).metadata("bad_evals", Integer.toString(state.badEvals()));
		writer.write(file);
	}

	private static void addAll(SafetensorsWriter writer, String prefix, Map<String, NDArray> arrays) {
		arrays.forEach((name, array) -> writer.add(prefix + name, array.getShape().getShape(), array.toFloatArray()));
	}

	/** Loads weights and moments from a checkpoint into existing arrays; returns the saved counters. */
	public static State restore(Path file, LlamaWeights weights, AdamW optimizer) throws IOException {
		SafetensorsFile checkpoint = SafetensorsFile.open(file);
		try {
			Map<String, float[]> first = new LinkedHashMap<>();
			Map<String, float[]> second = new LinkedHashMap<>();
			for(String name : weights.tensors().keySet()) {
				weights.get(name).set(read(checkpoint, "weights." + name));
				first.put(name, read(checkpoint, "adam_m." + name));
				second.put(name, read(checkpoint, "adam_v." + name));
			}
			Map<String, String> meta = checkpoint.metadata();
			State state = new State(Long.parseLong(meta.get("step")), Double.parseDouble(meta.get("best_score")),
					Long.parseLong(meta.get("best_step")), Integer.parseInt(meta.get("bad_evals")));
			optimizer.restore(state.step(), first, second);
			return state;
		} finally {
			checkpoint.close();
		}
	}

	private static float[] read(SafetensorsFile file, String name) throws IOException {
		if(!file.contains(name)) {
			throw new IOException(file.path() + ": checkpoint lacks tensor " + name);
		}
		return file.tensor(name).toFloatArray();
	}

	/** Writes config.json, generation_config.json and model.safetensors (tokenizer files are written by the trainer). */
	public static void writeHuggingFaceFolder(Path folder, LlamaWeights weights, String dtype, Map<String, String> metadata) throws IOException {
		Files.createDirectories(folder);
		LlamaConfig config = weights.config();
		JsonObject json = config.toConfigJson();
		json.addProperty("torch_dtype", dtype.equals("BF16") ? "bfloat16" : "float32");
		writeJson(folder.resolve("config.json"), json);
		JsonObject generation = new JsonObject();
		generation.addProperty("bos_token_id", config.bosTokenId());
		com.google.gson.JsonArray eos = new com.google.gson.JsonArray();
		eos.add(config.eosTokenId());
		eos.add(2);
		generation.add("eos_token_id", eos);
		generation.addProperty("pad_token_id", config.padTokenId());
		generation.addProperty("do_sample", false);
		generation.addProperty("max_new_tokens", 128);
		writeJson(folder.resolve("generation_config.json"), generation);
		SafetensorsWriter writer = new SafetensorsWriter();
		weights.addTo(writer, dtype, "", true);
		writer.metadata("format", "pt");
		metadata.forEach(writer::metadata);
		writer.write(folder.resolve("model.safetensors"));
	}

	static void writeJson(Path file, JsonObject json) throws IOException {
		AtomicFiles.writeString(file, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json) + "\n");
	}
}
