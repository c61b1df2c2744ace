package org.refusalscope.sae;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.refusalscope.api.model.ActivationCapture;
import org.refusalscope.api.model.ChatMessage;
import org.refusalscope.api.model.Edit;
import org.refusalscope.api.model.ForwardRequest;
import org.refusalscope.api.model.ForwardResult;
import org.refusalscope.api.model.GenerationRequest;
import org.refusalscope.api.model.GenerationResult;
import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.api.model.ModelInfo;
import org.refusalscope.api.sae.SaeMath;

/**
 * A stand-in language model for testing code that only talks to the API: token t has the residual embedding[t] at
 * every layer, scaled by (layer + 1); logits = unembedding · residual of the last layer. An {@link Edit.SaeReplace}
 * replaces the residual by the SAE reconstruction (via {@link SaeMath}) before the unembedding. Characters are tokens
 * (id = char - 'a' + 1, BOS = 0).
 */
final class FakeModel implements LanguageModel {

	static final int VOCAB = 27;
	final int dModel;
	final int layers;
	final float[][] embedding;
	final float[][] unembedding;
	int forwards;

	FakeModel(int dModel, int layers, long seed) {
		this.dModel = dModel;
		this.layers = layers;
		Random random = new Random(seed);
		embedding = new float[VOCAB][dModel];
		unembedding = new float[VOCAB][dModel];
		for(int t = 0; t < VOCAB; t++) {
			for(int i = 0; i < dModel; i++) {
				embedding[t][i] = (float) random.nextGaussian();
				unembedding[t][i] = (float) random.nextGaussian() * 0.5f;
			}
		}
	}

	float[] residual(int token, int layer) {
		float[] out = embedding[token].clone();
		for(int i = 0; i < dModel; i++) {
			out[i] *= layer + 1;
		}
		return out;
	}

	float[] logits(float[] residual) {
		float[] out = new float[VOCAB];
		for(int v = 0; v < VOCAB; v++) {
			for(int i = 0; i < dModel; i++) {
				out[v] += unembedding[v][i] * residual[i];
			}
		}
		return out;
	}

	@Override
	public ModelInfo info() {
		return new ModelInfo("fake", "fake", null, layers, dModel, VOCAB, new int[0], 0, "F32", "float32", 0);
	}

	@Override
	public int[] tokenize(String text, boolean addSpecialTokens) {
		int[] ids = new int[text.length() + (addSpecialTokens ? 1 : 0)];
		int offset = addSpecialTokens ? 1 : 0;
		for(int i = 0; i < text.length(); i++) {
			ids[i + offset] = Math.max(1, Math.min(26, text.charAt(i) - 'a' + 1));
		}
		return ids;
	}

	@Override
	public String decode(int[] ids) {
		StringBuilder out = new StringBuilder();
		for(int id : ids) {
			out.append(tokenText(id));
		}
		return out.toString();
	}

	@Override
	public String tokenText(int id) {
		return id == 0 ? "<bos>" : Character.toString((char) ('a' + id - 1));
	}

	@Override
	public int tokenId(String token) {
		return token.length() == 1 ? token.charAt(0) - 'a' + 1 : -1;
	}

	@Override
	public String renderChat(List<ChatMessage> messages, boolean addGenerationPrompt) {
		return messages.get(0).content();
	}

	@Override
	public int[] encodeChat(List<ChatMessage> messages) {
		return tokenize(messages.get(0).content(), true);
	}

	@Override
	public String chatTemplate() {
		return "";
	}

	@Override
	public ForwardResult forward(ForwardRequest request) {
		forwards++;
		int n = request.sequences().size();
		float[][][] logits = new float[n][][];
		Map<ActivationCapture, float[][][]> activations = new HashMap<>();
		for(ActivationCapture capture : request.captures()) {
			activations.put(capture, new float[n][][]);
		}
		for(int s = 0; s < n; s++) {
			int[] ids = request.sequences().get(s);
			List<float[]> rows = new ArrayList<>();
			for(ActivationCapture capture : request.captures()) {
				activations.get(capture)[s] = new float[request.positions().length][];
			}
			for(int q = 0; q < request.positions().length; q++) {
				int position = ids.length + request.positions()[q];
				float[] residual = residual(ids[position], layers - 1);
				for(Edit edit : request.planFor(s).edits()) {
					if(edit instanceof Edit.SaeReplace replace) {
						residual = SaeMath.decode(replace.sae().weights(), replace.sae().encode(residual));
					}
				}
				rows.add(logits(residual));
				for(ActivationCapture capture : request.captures()) {
					activations.get(capture)[s][q] = residual(ids[position], capture.layer());
				}
			}
			logits[s] = request.logits() ? rows.toArray(float[][]::new) : new float[0][];
		}
		return new ForwardResult(logits, activations);
	}

	@Override
	public List<GenerationResult> generate(GenerationRequest request) {
		throw new UnsupportedOperationException();
	}

	@Override
	public void close() {
	}
}
