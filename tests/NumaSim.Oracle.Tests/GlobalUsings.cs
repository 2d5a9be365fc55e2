global using Xunit;
global using NumaSim.Oracle.Tests.Support;
