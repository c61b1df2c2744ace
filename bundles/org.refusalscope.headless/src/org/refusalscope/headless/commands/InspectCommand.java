package org.refusalscope.headless.commands;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

import org.refusalscope.api.model.ActivationCapture;
import org.refusalscope.api.model.ChatMessage;
import org.refusalscope.api.model.ForwardRequest;
import org.refusalscope.api.model.ForwardResult;
import org.refusalscope.api.model.InterventionPlan;
import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.core.json.Json;
import org.refusalscope.headless.CliContext;
import org.refusalscope.headless.UsageException;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "inspect", mixinStandardHelpOptions = true,
		description = "Runs one forward pass and shows the tokens, the top next-token logits and residual activations.")
public class InspectCommand implements Callable<Integer> {

	private final CliContext context;

	@Mixin
	ModelOption model;

	@Option(names = "--text", required = true, description = "The input text.")
	String text;

	@Option(names = "--chat", description = "Wrap the text as one user message in the model's chat template "
			+ "(with the generation prompt).")
	boolean chat;

	@Option(names = "--layers", description = "Layers whose resid_post (last position) to print: all or L,L,... "
			+ "(default: none).")
	String layers;

	@Option(names = "--top", defaultValue = "20", description = "Number of highest next-token logits (default ${DEFAULT-VALUE}).")
	int top;

	@Option(names = "--sae", description = "SAE file or folder: adds the object 'sae' (active latents at the last position).")
	java.nio.file.Path sae;

	@Option(names = "--sae-layer", defaultValue = "-1", description = "Layer of the SAE (required when --sae holds several).")
	int saeLayer;

	@Option(names = "--json", description = "Print one JSON object: input_ids, top [{id, token, logit}], resid_post {L: [..]}.")
	boolean json;

	public InspectCommand(CliContext context) {
		this.context = context;
	}

	@Override
	public Integer call() throws Exception {
		if(top < 0) {
			throw new UsageException("--top must be >= 0, got " + top);
		}
		try(LanguageModel languageModel = model.open(context)) {
			int[] layerList = parseLayers(layers, languageModel.info().numLayers());
			int[] ids = chat ? languageModel.encodeChat(List.of(ChatMessage.user(text))) : languageModel.tokenize(text, true);
			List<ActivationCapture> captures = new ArrayList<>();
			for(int layer : layerList) {
				captures.add(ActivationCapture.residPost(layer));
			}
			org.refusalscope.api.sae.SparseAutoencoder chosenSae = sae == null ? null
					: org.refusalscope.headless.commands.sae.SaeInspection.open(context, sae, saeLayer, languageModel.info().hiddenSize());
			List<ActivationCapture> forwardCaptures = new ArrayList<>(captures);
			if(chosenSae != null) {
				ActivationCapture saeCapture = new ActivationCapture(chosenSae.info().layer(), chosenSae.info().hook());
				if(!forwardCaptures.contains(saeCapture)) {
					forwardCaptures.add(saeCapture);
				}
			}
			ForwardResult result = languageModel.forward(new ForwardRequest(List.of(ids), List.of(InterventionPlan.NONE),
					new int[]{-1}, true, forwardCaptures));
			float[] logits = result.lastLogits(0);
			Integer[] order = IntStream.range(0, logits.length).boxed().toArray(Integer[]::new);
			Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -logits[i]).thenComparingInt(i -> i));
			JsonObject out = new JsonObject();
			JsonArray inputIds = new JsonArray();
			Arrays.stream(ids).forEach(inputIds::add);
			out.add("input_ids", inputIds);
			JsonArray topList = new JsonArray();
			for(int rank = 0; rank < Math.min(top, logits.length); rank++) {
				JsonObject item = new JsonObject();
				item.addProperty("id", order[rank]);
				item.addProperty("token", languageModel.tokenText(order[rank]));
				item.addProperty("logit", logits[order[rank]]);
				topList.add(item);
			}
			out.add("top", topList);
			JsonObject resid = new JsonObject();
			for(ActivationCapture capture : captures) {
				JsonArray values = new JsonArray();
				for(float value : result.activations(capture)[0][0]) {
					values.add(value);
				}
				resid.add(Integer.toString(capture.layer()), values);
			}
			out.add("resid_post", resid);
			if(chosenSae != null) {
				float[] residual = result.activations(new ActivationCapture(chosenSae.info().layer(), chosenSae.info().hook()))[0][0];
				out.add("sae", org.refusalscope.headless.commands.sae.SaeInspection.describe(chosenSae, residual));
			}
			if(json) {
				context.out().println(Json.write(out));
			} else {
				printText(languageModel, ids, topList, captures, result);
			}
		}
		return 0;
	}

	private void printText(LanguageModel languageModel, int[] ids, JsonArray topList, List<ActivationCapture> captures,
			ForwardResult result) {
		context.out().println("model: " + languageModel.info().name() + " (" + languageModel.info().modelType() + ", "
				+ languageModel.info().numLayers() + " layers, " + languageModel.info().computeDtype() + ")");
		context.out().println("input_ids (" + ids.length + "): " + Arrays.toString(ids));
		context.out().println("top next tokens:");
		for(int i = 0; i < topList.size(); i++) {
			JsonObject item = topList.get(i).getAsJsonObject();
			context.out().printf("  %8d  %10.4f  %s%n", item.get("id").getAsInt(), item.get("logit").getAsFloat(), Json.write(
					item.get("token")));
		}
		for(ActivationCapture capture : captures) {
			float[] values = result.activations(capture)[0][0];
			double norm = 0;
			for(float value : values) {
				norm += value * (double) value;
			}
			context.out().printf("resid_post %d: norm %.4f, first values %s%n", capture.layer(), Math.sqrt(norm), Arrays
					.toString(Arrays.copyOf(values, Math.min(4, values.length))));
		}
	}

	/** {@code all}, a comma list of layers, or nothing. */
	static int[] parseLayers(String spec, int numLayers) {
		if(spec == null || spec.isBlank()) {
			return new int[0];
		}
		if(spec.trim().equalsIgnoreCase("all")) {
			return IntStream.range(0, numLayers).toArray();
		}
		List<Integer> out = new ArrayList<>();
		for(String part : spec.split(",")) {
			int layer;
			try {
				layer = Integer.parseInt(part.trim());
			} catch(NumberFormatException e) {
				throw new UsageException("--layers must be 'all' or comma-separated layer numbers, got '" + spec + "'");
			}
			if(layer < 0 || layer >= numLayers) {
				throw new UsageException("layer " + layer + " is outside 0.." + (numLayers - 1));
			}
			out.add(layer);
		}
		return out.stream().mapToInt(Integer::intValue).toArray();
	}
}
