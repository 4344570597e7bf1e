/** The loaded configuration (`LoadedConfig`): the file name, its folder and the validated content. */
export const APP_CONFIG = Symbol('APP_CONFIG');
