package org.refusalscope.model.djl;

import java.io.IOException;
import java.nio.file.Path;

import org.osgi.service.component.annotations.Component;
import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.api.model.LoadOptions;
import org.refusalscope.api.model.ModelBackend;

/** The transformer backend: Gemma-2 and Llama-3 Hugging Face folders on DJL's PyTorch engine. */
@Component(service = ModelBackend.class)
public final class DjlModelBackend implements ModelBackend {

	@Override
	public String id() {
		return "djl";
	}

	@Override
	public String name() {
		return "Transformer on DJL (PyTorch)";
	}

	@Override
	public String description() {
		return "Loads Gemma-2 and Llama-3 Hugging Face folders (safetensors, tokenizer.json, chat template) and runs "
				+ "them on the PyTorch engine with batched forward passes, interventions and KV-cache generation.";
	}


	@Override
	public boolean canLoad(Path location) {
		try {
			ModelConfig.read(location);
			return true;
		} catch(IOException e) {
			return false;
		}
	}

	@Override
	public LanguageModel load(Path location, LoadOptions options) throws IOException {
		return DjlLanguageModel.load(location, options == null ? LoadOptions.defaults() : options);
	}
}
