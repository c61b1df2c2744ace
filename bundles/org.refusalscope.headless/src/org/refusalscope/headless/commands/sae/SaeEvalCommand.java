package org.refusalscope.headless.commands.sae;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.api.sae.SparseAutoencoder;
import org.refusalscope.core.json.Json;
import org.refusalscope.headless.CliContext;
import org.refusalscope.headless.commands.ModelOption;
import org.refusalscope.sae.SaeEvaluator;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "sae-eval", mixinStandardHelpOptions = true,
		description = "SAE quality on a prompt set: L0, fraction of variance explained, dead latents, next-token CE clean and "
				+ "with the SAE spliced in, and KL(clean || spliced), per layer.")
public class SaeEvalCommand implements Callable<Integer> {

	private final CliContext context;

	@Mixin
	ModelOption model;

	@Option(names = "--sae", required = true, description = "SAE file or folder (Gemma Scope, Llama Scope, SAELens).")
	Path sae;

	@Option(names = "--sae-layer", defaultValue = "-1", description = "Only this layer (or the layer of an SAE whose files do not say it).")
	int saeLayer;

	@Option(names = "--prompts", required = true, description = "Prompt file (chat template applied).")
	Path prompts;

	@Option(names = "--batch-size", defaultValue = "8", description = "Prompts per forward (default ${DEFAULT-VALUE}).")
	int batchSize;

	@Option(names = "--json", description = "Print one JSON object: {\"layers\": [{layer, l0, fve, dead_fraction, ce_loss_clean, ce_loss_spliced, kl}]}.")
	boolean json;

	public SaeEvalCommand(CliContext context) {
		this.context = context;
	}

	@Override
	public Integer call() throws Exception {
		List<String> texts = SaeCommandSupport.readPrompts(context, List.of(prompts));
		try(LanguageModel languageModel = model.open(context)) {
			List<SparseAutoencoder> saes = SaeCommandSupport.loadSaes(context, sae, languageModel.info().hiddenSize(), saeLayer);
			if(saeLayer >= 0 && saes.size() > 1) {
				saes = saes.stream().filter(s -> s.info().layer() == saeLayer).toList();
			}
			List<SaeEvaluator.Result> results = SaeEvaluator.evaluate(languageModel, saes, texts, true, batchSize,
					new StderrProgress(context.err()));
			JsonArray layers = new JsonArray();
			for(SaeEvaluator.Result result : results) {
				JsonObject item = new JsonObject();
				item.addProperty("layer", result.layer());
				item.addProperty("l0", result.l0());
				item.addProperty("fve", result.fve());
				item.addProperty("dead_fraction", result.dead_fraction());
				item.addProperty("ce_loss_clean", result.ce_loss_clean());
				item.addProperty("ce_loss_spliced", result.ce_loss_spliced());
				item.addProperty("kl", result.kl());
				item.addProperty("tokens", result.tokens());
				layers.add(item);
			}
			JsonObject out = new JsonObject();
			out.addProperty("sae", sae.toString());
			out.addProperty("prompts", texts.size());
			out.add("layers", layers);
			if(json) {
				context.out().println(Json.write(out));
			} else {
				for(SaeEvaluator.Result r : results) {
					context.out().printf("layer %d: L0 %.2f, FVE %.4f, dead %.3f, CE clean %.4f, spliced %.4f, KL %.4f (%d tokens)%n",
							r.layer(), r.l0(), r.fve(), r.dead_fraction(), r.ce_loss_clean(), r.ce_loss_spliced(), r.kl(), r.tokens());
				}
			}
		}
		return 0;
	}
}
