package org.refusalscope.headless.tests.dissect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.api.model.LoadOptions;
import org.refusalscope.api.model.ModelBackend;
import org.refusalscope.api.sae.SaeLoadOptions;
import org.refusalscope.api.sae.SaeProvider;
import org.refusalscope.api.sae.SparseAutoencoder;
import org.refusalscope.testsupport.FakeChatModel;

/** A backend and an SAE provider for folders holding a file named {@code fake-model} / {@code fake-sae}. */
final class FakeServices {

	private FakeServices() {
	}

	static final class Backend implements ModelBackend {
		@Override
		public String id() {
			return "fake-backend";
		}

		@Override
		public String name() {
			return "fake";
		}

		@Override
		public String description() {
			return "test backend";
		}


		@Override
		public boolean canLoad(Path location) {
			return Files.exists(location.resolve("fake-model"));
		}

		@Override
		public LanguageModel load(Path location, LoadOptions options) {
			return new FakeChatModel();
		}
	}

	static final class Provider implements SaeProvider {
		@Override
		public String id() {
			return "fake-sae";
		}

		@Override
		public String name() {
			return "fake";
		}

		@Override
		public String description() {
			return "test SAEs";
		}


		@Override
		public boolean canLoad(Path location) {
			return Files.exists(location.resolve("fake-sae"));
		}

		@Override
		public List<SparseAutoencoder> load(Path location, SaeLoadOptions options) throws IOException {
			if(options.dModel() != FakeChatModel.D) {
				throw new IOException(location + ": d_in " + FakeChatModel.D + " does not match the model's " + options.dModel());
			}
			List<SparseAutoencoder> out = new ArrayList<>();
			for(int layer = 0; layer < FakeChatModel.LAYERS; layer++) {
				out.add(FakeChatModel.identitySae(layer));
			}
			return out;
		}
	}
}
