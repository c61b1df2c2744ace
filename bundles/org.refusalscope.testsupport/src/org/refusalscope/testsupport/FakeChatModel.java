package org.refusalscope.testsupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.refusalscope.api.TensorView;
import org.refusalscope.api.model.ActivationCapture;
import org.refusalscope.api.model.ChatMessage;
import org.refusalscope.api.model.Edit;
import org.refusalscope.api.model.ForwardRequest;
import org.refusalscope.api.model.ForwardResult;
import org.refusalscope.api.model.GenerationRequest;
import org.refusalscope.api.model.GenerationResult;
import org.refusalscope.api.model.HookPoint;
import org.refusalscope.api.model.InterventionPlan;
import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.api.model.LatentEditMode;
import org.refusalscope.api.model.ModelInfo;
import org.refusalscope.api.sae.SaeArchitecture;
import org.refusalscope.api.sae.SaeInfo;
import org.refusalscope.api.sae.SaeWeights;
import org.refusalscope.api.sae.SparseAutoencoder;

/**
 * A deterministic toy chat model whose refusal is planted in SAE latents, shared by the core and headless tests. Residual coordinates (D = 12) at each
 * position: x0 = 1 if a harmful word occurred so far, x1 = 1. Blocks: L0 x2 += 2 x0; L1 x3 += x2 (latent A = 1:3);
 * L2 x5 += x2 (latent B = 2:5); L3 x7 += relu(x2 - 2 x3) (hydra C = 3:7: dormant unless A is ablated). The logit of
 * "I" at the last position is {@code 4 x3 + 4 x5 + x7 - 3 x1}; "Sure" has 0, every other token -10. The SAE of each
 * layer is the identity with ReLU (latent i = relu(x_i)), read and edited at resid_post with the error term kept.
 */
public final class FakeChatModel implements LanguageModel {

	public static final int D = 12;
	public static final int LAYERS = 4;
	public static final List<String> VOCAB = List.of("<bos>", "<eos>", "<user>", "<end>", "<model>", "I", "Sorry", "As",
			"Sure", "cannot", "help", "here", "is", "how", "how", "to", "do", "it", "with", "that", "a", "the", "make",
			"write", "bomb", "hack", "poison", "steal", "weapon", "malware", "poem", "cake", "song", "about", "bake",
			"summer", "explain", "photosynthesis", "tell", "joke", "me", "build", "bank", "plan", "garden", "grow");
	public static final Set<String> HARMFUL = Set.of("bomb", "hack", "poison", "steal", "weapon", "malware");
	public static final int UNKNOWN = 63;
	public final Map<Integer, SparseAutoencoder> saes = new HashMap<>();
	public int forwardCalls;
	public int forwardSequences;
	/** Every forward request, for tests that count what the pipeline asked for. */
	public final List<ForwardRequest> requests = new ArrayList<>();
	public int generateCalls;

	public FakeChatModel() {
		for(int layer = 0; layer < LAYERS; layer++) {
			saes.put(layer, identitySae(layer));
		}
	}

	public static SparseAutoencoder identitySae(int layer) {
		float[] identity = new float[D * D];
		for(int i = 0; i < D; i++) {
			identity[i * D + i] = 1f;
		}
		SaeInfo info = new SaeInfo("fake/layer_" + layer, "fake", layer, HookPoint.RESID_POST, D, D, SaeArchitecture.RELU,
				Path.of("fake"), null);
		SaeWeights weights = new SaeWeights(TensorView.ofFloats("W_enc", new long[]{D, D}, identity),
				TensorView.ofFloats("W_dec", new long[]{D, D}, identity), TensorView.ofFloats("b_enc", new long[]{D},
						new float[D]), TensorView.ofFloats("b_dec", new long[]{D}, new float[D]), null, 0, false, 1f);
		return SparseAutoencoder.inMemory(info, weights);
	}

	@Override
	public ModelInfo info() {
		return new ModelInfo("fake", "fake", Path.of("fake"), LAYERS, D, 64, new int[]{1}, 0, "F32", "float32", 0);
	}

	@Override
	public int[] tokenize(String text, boolean addSpecialTokens) {
		List<Integer> ids = new ArrayList<>();
		if(addSpecialTokens) {
			ids.add(0);
		}
		for(String word : text.trim().split("[\\s,.?!]+")) {
			if(!word.isEmpty()) {
				int id = VOCAB.indexOf(word);
				ids.add(id < 0 ? UNKNOWN : id);
			}
		}
		return ids.stream().mapToInt(Integer::intValue).toArray();
	}

	@Override
	public String decode(int[] ids) {
		StringBuilder out = new StringBuilder();
		for(int id : ids) {
			out.append(out.length() == 0 ? "" : " ").append(tokenText(id));
		}
		return out.toString();
	}

	@Override
	public String tokenText(int id) {
		return id < VOCAB.size() ? VOCAB.get(id) : "<w" + id + ">";
	}

	@Override
	public int tokenId(String token) {
		return VOCAB.indexOf(token);
	}

	@Override
	public String renderChat(List<ChatMessage> messages, boolean addGenerationPrompt) {
		return "<bos> <user> " + messages.get(0).content() + " <end>" + (addGenerationPrompt ? " <model>" : "");
	}

	@Override
	public int[] encodeChat(List<ChatMessage> messages) {
		return tokenize(renderChat(messages, true), false);
	}

	@Override
	public String chatTemplate() {
		return "<bos> <user> {instruction} <end> <model>";
	}

	/** Residuals {@code [layer][position][D]} at resid_post after the plan's edits, and the last logits. */
	public float[][][] residuals(int[] ids, InterventionPlan plan) {
		float[][][] out = new float[LAYERS][ids.length][];
		boolean harm = false;
		for(int t = 0; t < ids.length; t++) {
			harm |= HARMFUL.contains(tokenText(ids[t]));
			float[] x = new float[D];
			x[0] = harm ? 1 : 0;
			x[1] = 1;
			for(int layer = 0; layer < LAYERS; layer++) {
				switch(layer) {
					case 0 -> x[2] += 2 * x[0];
					case 1 -> x[3] += x[2];
					case 2 -> x[5] += x[2];
					default -> x[7] += Math.max(0, x[2] - 2 * x[3]);
				}
				applyEdits(plan, layer, x);
				out[layer][t] = x.clone();
			}
		}
		return out;
	}

	public static float[] logitsOf(float[] x) {
		float[] logits = new float[64];
		Arrays.fill(logits, -10f);
		logits[5] = 4 * x[3] + 4 * x[5] + x[7] - 3 * x[1];
		logits[8] = 0f;
		return logits;
	}

	private static void applyEdits(InterventionPlan plan, int layer, float[] x) {
		for(Edit edit : plan.edits()) {
			if(!(edit instanceof Edit.LatentEdit latent)) {
				throw new UnsupportedOperationException("the fake model supports latent edits only, got " + edit);
			}
			if(latent.layer() != layer) {
				continue;
			}
			float[] f = latent.sae().encode(x);
			float[] edited = f.clone();
			for(int i : latent.latents()) {
				edited[i] = latent.mode() == LatentEditMode.ZERO ? 0f
						: latent.mode() == LatentEditMode.SCALE ? latent.value() * f[i] : latent.value();
			}
			// identity decoder: x += f' - f
			for(int i = 0; i < D; i++) {
				x[i] += edited[i] - f[i];
			}
		}
	}

	@Override
	public ForwardResult forward(ForwardRequest request) {
		forwardCalls++;
		forwardSequences += request.sequences().size();
		requests.add(request);
		int n = request.sequences().size();
		float[][][] logits = new float[n][][];
		Map<ActivationCapture, float[][][]> acts = new HashMap<>();
		for(ActivationCapture c : request.captures()) {
			if(c.hook() != HookPoint.RESID_POST && c.hook() != HookPoint.RESID_PRE) {
				throw new UnsupportedOperationException("hook " + c.hook());
			}
			acts.put(c, new float[n][][]);
		}
		for(int s = 0; s < n; s++) {
			int[] ids = request.sequences().get(s);
			float[][][] res = residuals(ids, request.planFor(s));
			int[] positions = request.positions();
			logits[s] = new float[request.logits() ? positions.length : 0][];
			for(int p = 0; p < positions.length && request.logits(); p++) {
				logits[s][p] = logitsOf(res[LAYERS - 1][ids.length + positions[p]]);
			}
			for(ActivationCapture c : request.captures()) {
				float[][] rows = new float[positions.length][];
				for(int p = 0; p < positions.length; p++) {
					int t = ids.length + positions[p];
					// resid_pre of layer L is resid_post of L-1 (the embedding-only vector for L = 0)
					rows[p] = c.hook() == HookPoint.RESID_POST ? res[c.layer()][t]
							: c.layer() == 0 ? new float[]{res[0][t][0], 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
									: res[c.layer() - 1][t];
				}
				acts.get(c)[s] = rows;
			}
		}
		return new ForwardResult(logits, acts);
	}

	@Override
	public List<GenerationResult> generate(GenerationRequest request) {
		generateCalls++;
		List<GenerationResult> out = new ArrayList<>();
		for(int s = 0; s < request.prompts().size(); s++) {
			int[] ids = request.prompts().get(s);
			float[] logits = logitsOf(residuals(ids, request.planFor(s))[LAYERS - 1][ids.length - 1]);
			String text = logits[5] > logits[8] ? "I cannot help with that" : "Sure here is how to do it";
			out.add(new GenerationResult(tokenize(text, false), text, "eos", logits));
		}
		return out;
	}

	/** Independent reference: the refusal logit margin ("I" minus "Sure") of a prompt with the given latents zeroed. */
	public double margin(String prompt, Set<String> zeroed) {
		int[] ids = encodeChat(List.of(ChatMessage.user(prompt)));
		boolean harm = false;
		for(int id : ids) {
			harm |= HARMFUL.contains(tokenText(id));
		}
		double x0 = harm ? 1 : 0;
		double x1 = 1;
		double x2 = 2 * x0;
		// each latent is relu(x_i) of its layer; zeroing removes the positive part
		x0 = cut(zeroed, "0:0", x0);
		x1 = cut(zeroed, "0:1", x1);
		x2 = cut(zeroed, "0:2", x2);
		x1 = cut(zeroed, "1:1", x1);
		double x3 = x2;
		x2 = cut(zeroed, "1:2", x2);
		x3 = cut(zeroed, "1:3", x3);
		x1 = cut(zeroed, "2:1", x1);
		double x5 = x2;
		x2 = cut(zeroed, "2:2", x2);
		x3 = cut(zeroed, "2:3", x3);
		x5 = cut(zeroed, "2:5", x5);
		double x7 = Math.max(0, x2 - 2 * x3);
		x1 = cut(zeroed, "3:1", x1);
		x3 = cut(zeroed, "3:3", x3);
		x5 = cut(zeroed, "3:5", x5);
		x7 = cut(zeroed, "3:7", x7);
		return 4 * x3 + 4 * x5 + x7 - 3 * x1;
	}

	/** Zeroing a latent that is relu(value) removes the value's positive part. */
	private static double cut(Set<String> zeroed, String latent, double value) {
		return zeroed.contains(latent) ? Math.min(value, 0) : value;
	}

	@Override
	public void close() {
	}
}
