package org.refusalscope.model.djl.saetrain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.refusalscope.api.sae.SaeArchitecture;
import org.refusalscope.api.sae.SaeTrainingSettings;
import org.refusalscope.core.io.AtomicFiles;
import org.refusalscope.io.safetensors.SafetensorsWriter;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

/**
 * Writes a trained SAE in SAELens v6 format. Training ran on activations scaled by s (mean norm sqrt(d_in)); the
 * scale is folded so the saved SAE reads raw activations: with x' = s·x,
 * {@code pre = (x' - b_dec) W_enc + b_enc = (x - b_dec/s)(s·W_enc) + b_enc} and
 * {@code x̂ = (f W_dec + b_dec)/s = f (W_dec/s) + b_dec/s}; thresholds and b_enc are unchanged.
 */
final class SaeLensExport {

	static final String CFG = "cfg.json";
	static final String WEIGHTS = "sae_weights.safetensors";

	private SaeLensExport() {
	}

	static void write(SaeState state, SaeTrainingSettings settings, Path outDir) throws IOException {
		Files.createDirectories(outDir);
		float s = state.inputScale;
		SafetensorsWriter writer = new SafetensorsWriter();
		long[] encShape = {state.dIn, state.width};
		long[] decShape = {state.width, state.dIn};
		writer.add("W_enc", encShape, state.p("W_enc").mul(s).toFloatArray());
		writer.add("W_dec", decShape, state.p("W_dec").div(s).toFloatArray());
		writer.add("b_enc", new long[] {state.width}, state.p("b_enc").toFloatArray());
		writer.add("b_dec", new long[] {state.dIn}, state.p("b_dec").div(s).toFloatArray());
		if(state.architecture == SaeArchitecture.JUMPRELU) {
			writer.add("threshold", new long[] {state.width}, state.p("threshold").toFloatArray());
		}
		writer.write(outDir.resolve(WEIGHTS));

		JsonObject cfg = new JsonObject();
		cfg.addProperty("architecture", state.architecture == SaeArchitecture.TOPK ? "topk" : "jumprelu");
		cfg.addProperty("d_in", state.dIn);
		cfg.addProperty("d_sae", state.width);
		cfg.addProperty("dtype", "float32");
		cfg.addProperty("device", "cpu");
		cfg.addProperty("apply_b_dec_to_input", true);
		cfg.addProperty("normalize_activations", "none");
		cfg.addProperty("reshape_activations", "none");
		if(state.architecture == SaeArchitecture.TOPK) {
			cfg.addProperty("k", settings.k());
			cfg.addProperty("rescale_acts_by_decoder_norm", false);
		}
		JsonObject metadata = new JsonObject();
		metadata.addProperty("model_name", settings.modelName());
		metadata.addProperty("hook_name", settings.hookName());
		metadata.addProperty("hook_head_index", (String) null);
		metadata.addProperty("prepend_bos", true);
		metadata.addProperty("sae_lens_training_version", (String) null);
		metadata.addProperty("trained_by", "refusalscope train-sae");
		metadata.addProperty("training_steps", state.step);
		metadata.addProperty("training_rows", state.rowsSeen);
		metadata.addProperty("seed", settings.seed());
		metadata.addProperty("learning_rate", settings.learningRate());
		if(state.architecture == SaeArchitecture.JUMPRELU) {
			metadata.addProperty("l0_coefficient", settings.sparsityCoeff());
		}
		metadata.addProperty("input_scale_folded", s);
		cfg.add("metadata", metadata);
		AtomicFiles.writeString(outDir.resolve(CFG), new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(cfg));
	}
}
