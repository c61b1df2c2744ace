package org.refusalscope.model.djl.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.refusalscope.api.TensorView;
import org.refusalscope.io.safetensors.SafetensorsFile;
import org.refusalscope.io.safetensors.SafetensorsWriter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The trainable tensors under their Hugging Face names (Linear weights stored [out, in]). The output head is tied to
 * the embedding; the saved file still carries lm_head.weight (a copy) so loaders that expect it work unchanged.
 */
public final class LlamaWeights implements AutoCloseable {

	private final LlamaConfig config;
	private final Map<String, NDArray> tensors;

	private LlamaWeights(LlamaConfig config, Map<String, NDArray> tensors) {
		this.config = config;
		this.tensors = tensors;
	}

	/** Shapes of every tensor, in a fixed order. */
	public static Map<String, long[]> shapes(LlamaConfig c) {
		Map<String, long[]> shapes = new LinkedHashMap<>();
		long d = c.hiddenSize();
		long q = (long)c.heads() * c.headDim();
		long kv = (long)c.kvHeads() * c.headDim();
		shapes.put("model.embed_tokens.weight", new long[]{c.vocabSize(), d});
		for(int l = 0; l < c.layers(); l++) {
			String p = "model.layers." + l + ".";
			shapes.put(p + "input_layernorm.weight", new long[]{d});
			shapes.put(p + "self_attn.q_proj.weight", new long[]{q, d});
			shapes.put(p + "self_attn.k_proj.weight", new long[]{kv, d});
			shapes.put(p + "self_attn.v_proj.weight", new long[]{kv, d});
			shapes.put(p + "self_attn.o_proj.weight", new long[]{d, q});
			shapes.put(p + "post_attention_layernorm.weight", new long[]{d});
			shapes.put(p + "mlp.gate_proj.weight", new long[]{c.intermediateSize(), d});
			shapes.put(p + "mlp.up_proj.weight", new long[]{c.intermediateSize(), d});
			shapes.put(p + "mlp.down_proj.weight", new long[]{d, c.intermediateSize()});
		}
		shapes.put("model.norm.weight", new long[]{d});
		return shapes;
	}

	/** GPT-2 style init: N(0, 0.02), residual output projections scaled by 1/sqrt(2 layers), norms 1. */
	public static LlamaWeights initialise(LlamaConfig config, NDManager manager, long seed) {
		Random random = new Random(seed);
		Map<String, NDArray> tensors = new LinkedHashMap<>();
		for(Map.Entry<String, long[]> entry : shapes(config).entrySet()) {
			long[] shape = entry.getValue();
			int count = (int)new Shape(shape).size();
			float[] values = new float[count];
			if(shape.length == 1) {
				java.util.Arrays.fill(values, 1f);
			} else {
				double std = 0.02;
				if(entry.getKey().endsWith("o_proj.weight") || entry.getKey().endsWith("down_proj.weight")) {
					std /= Math.sqrt(2.0 * config.layers());
				}
				for(int i = 0; i < count; i++) {
					values[i] = (float)(random.nextGaussian() * std);
				}
			}
			tensors.put(entry.getKey(), manager.create(values, new Shape(shape)));
		}
		return new LlamaWeights(config, tensors);
	}

	public static LlamaWeights load(LlamaConfig config, Path safetensors, NDManager manager) throws IOException {
		Map<String, NDArray> tensors = new LinkedHashMap<>();
		SafetensorsFile file = SafetensorsFile.open(safetensors);
		try {
			for(Map.Entry<String, long[]> entry : shapes(config).entrySet()) {
				if(!file.contains(entry.getKey())) {
					throw new IOException(safetensors + ": tensor " + entry.getKey() + " is missing");
				}
				TensorView view = file.tensor(entry.getKey());
				if(!java.util.Arrays.equals(view.shape(), entry.getValue())) {
					throw new IOException(safetensors + ": tensor " + entry.getKey() + " has shape " + java.util.Arrays.toString(view.shape())
							+ ", config wants " + java.util.Arrays.toString(entry.getValue()));
				}
				tensors.put(entry.getKey(), manager.create(view.toFloatArray(), new Shape(entry.getValue())));
			}
		} finally {
			file.close();
		}
		return new LlamaWeights(config, tensors);
	}

	public LlamaConfig config() {
		return config;
	}

	public Map<String, NDArray> tensors() {
		return tensors;
	}

	public NDArray get(String name) {
		NDArray tensor = tensors.get(name);
		if(tensor == null) {
			throw new IllegalArgumentException("no tensor " + name);
		}
		return tensor;
	}

	/** A detached copy (no gradients), e.g. to hold an exponential moving average of these weights. */
	public LlamaWeights copy(NDManager manager) {
		Map<String, NDArray> copies = new LinkedHashMap<>();
		tensors.forEach((name, tensor) -> {
			NDArray copy = manager.create(tensor.getShape(), tensor.getDataType());
			copy.set(tensor.toFloatArray());
			copies.put(name, copy);
		});
		return new LlamaWeights(config, copies);
	}

	/** this = decay * this + (1 - decay) * other, in place, tensor by tensor. */
	public void blend(LlamaWeights other, float decay) {
		// temporaries live in a scope closed at the end: this runs once per training step
		try(NDManager scope = tensors.values().iterator().next().getManager().newSubManager()) {
			for(Map.Entry<String, NDArray> entry : tensors.entrySet()) {
				NDArray detached = other.get(entry.getKey()).stopGradient();
				detached.attach(scope);
				NDArray scaled = detached.mul(1f - decay);
				scaled.attach(scope);
				entry.getValue().muli(decay).addi(scaled);
			}
		}
	}

	public void requireGradients() {
		tensors.values().forEach(t -> t.setRequiresGradient(true));
	}

	/** Adds every tensor (plus the tied lm_head copy) to a writer in the given dtype. */
	public void addTo(SafetensorsWriter writer, String dtype, String prefix, boolean withHead) {
		for(Map.Entry<String, NDArray> entry : tensors.entrySet()) {
			writer.add(prefix + entry.getKey(), entry.getValue().getShape().getShape(), entry.getValue().toFloatArray(), dtype);
		}
		if(withHead) {
			NDArray embed = get("model.embed_tokens.weight");
			writer.add(prefix + "lm_head.weight", embed.getShape().getShape(), embed.toFloatArray(), dtype);
		}
	}

	@Override
	public void close() {
		tensors.values().forEach(NDArray::close);
	}
}
