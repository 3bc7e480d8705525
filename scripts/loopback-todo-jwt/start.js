// LoopBack 4's todo-jwt example, assembled from published packages so
// that Backplane's todo-jwt contract can be checked against LoopBack
// itself. The example is not published on npm: this file builds the same
// application from @loopback/example-todo's TodoListApplication, the
// authentication components, and a plain-JavaScript UserController with
// the example's routes, bodies and answers (decorators applied as calls).
'use strict';
const path = require('path');
const {TodoListApplication} = require('@loopback/example-todo');
const {TodoController} = require('@loopback/example-todo/dist/controllers');
const {DbDataSource} = require('@loopback/example-todo/dist/datasources');
const {AuthenticationComponent, authenticate} = require('@loopback/authentication');
const jwtPkg = require('@loopback/authentication-jwt');
const {JWTAuthenticationComponent, MyUserService, UserServiceBindings, TokenServiceBindings, User, UserRepository} = jwtPkg;
const {inject} = require('@loopback/core');
const {model, property, repository} = require('@loopback/repository');
const {get, post, requestBody, getModelSchemaRef} = require('@loopback/rest');
const {SecurityBindings, securityId} = require('@loopback/security');
const bcrypt = require('bcryptjs');

// Every todo route needs a token, as the example's @authenticate('jwt')
// on TodoController says.
authenticate('jwt')(TodoController);

// NewUserRequest: a User with a required password.
class NewUserRequest extends User {}
property({type: 'string', required: true})(NewUserRequest.prototype, 'password');
model()(NewUserRequest);

const credentialsBody = {
  description: 'The input of login function',
  required: true,
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['email', 'password'],
        properties: {email: {type: 'string', format: 'email'}, password: {type: 'string', minLength: 8}},
      },
    },
  },
};

class UserController {
  constructor(jwtService, userService, user, userRepository) {
    this.jwtService = jwtService;
    this.userService = userService;
    this.user = user;
    this.userRepository = userRepository;
  }
  async login(credentials) {
    const user = await this.userService.verifyCredentials(credentials);
    const profile = this.userService.convertToUserProfile(user);
    return {token: await this.jwtService.generateToken(profile)};
  }
  async whoAmI(profile) {
    return profile[securityId];
  }
  async signUp(req) {
    const password = await bcrypt.hash(req.password, await bcrypt.genSalt());
    const {password: _omitted, ...rest} = req;
    const saved = await this.userRepository.create(rest);
    await this.userRepository.userCredentials(saved.id).create({password});
    return saved;
  }
}
// what TypeScript's emitDecoratorMetadata would have recorded
const param = (name, types) => Reflect.defineMetadata('design:paramtypes', types, UserController.prototype, name);
Reflect.defineMetadata('design:paramtypes', [Object, MyUserService, Object, UserRepository], UserController);
param('login', [Object]);
param('whoAmI', [Object]);
param('signUp', [NewUserRequest]);
inject(TokenServiceBindings.TOKEN_SERVICE)(UserController, undefined, 0);
inject(UserServiceBindings.USER_SERVICE)(UserController, undefined, 1);
inject(SecurityBindings.USER, {optional: true})(UserController, undefined, 2);
repository(UserRepository)(UserController, undefined, 3);

const method = (name, ...decorators) => {
  const d = Object.getOwnPropertyDescriptor(UserController.prototype, name);
  for (const dec of decorators.reverse()) dec(UserController.prototype, name, d);
};
requestBody(credentialsBody)(UserController.prototype, 'login', 0);
method('login', post('/users/login', {
  responses: {'200': {description: 'Token', content: {'application/json': {schema: {type: 'object', properties: {token: {type: 'string'}}}}}}},
}));
inject(SecurityBindings.USER)(UserController.prototype, 'whoAmI', 0);
method('whoAmI', authenticate('jwt'), get('/whoAmI', {
  responses: {'200': {description: 'Return current user', content: {'application/json': {schema: {type: 'string'}}}}},
}));
requestBody({content: {'application/json': {schema: getModelSchemaRef(NewUserRequest, {title: 'NewUser'})}}})(UserController.prototype, 'signUp', 0);
method('signUp', post('/signup', {
  responses: {'200': {description: 'User', content: {'application/json': {schema: {'x-ts-type': User}}}}},
}));

async function main() {
  const port = +(process.env.PORT || 3918);
  const app = new TodoListApplication({
    rest: {port, host: '127.0.0.1', gracePeriodForClose: 5000, openApiSpec: {setServersFromRequest: true}},
  });
  app.component(AuthenticationComponent);
  app.component(JWTAuthenticationComponent);
  app.dataSource(DbDataSource, UserServiceBindings.DATASOURCE_NAME);
  app.bind(UserServiceBindings.USER_SERVICE).toClass(MyUserService);
  app.controller(UserController);
  await app.boot();
  await app.start();
  console.log(`LoopBack todo-jwt listening on ${app.restServer.url}`);
}
main().catch(err => {
  console.error('Cannot start the application.', err);
  process.exit(1);
});
