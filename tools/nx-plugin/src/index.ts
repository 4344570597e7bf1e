export { providerGenerator, type ProviderGeneratorSchema } from './generators/provider/generator';
